#!/usr/bin/env node
// Entry point of the `cdr-desk` command. Node >= 22.18 runs our TypeScript sources directly (type stripping),
// so the command works right after `npm install`, with no build step.
import { main } from '../electron/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
