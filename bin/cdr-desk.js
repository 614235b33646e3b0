#!/usr/bin/env node
// Entry point of the `cdr-desk` command. Node >= 22.18 runs our TypeScript sources directly (type stripping), so
// the command works right after `npm install` with no build step; to start faster it runs a cached bundle of the
// same sources when one is current (bin/cli-bundle.js).
import { cliEntry } from './cli-bundle.js';

const { main } = await import(await cliEntry());
process.exitCode = await main(process.argv.slice(2));
