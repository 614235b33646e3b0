#!/usr/bin/env node
// Entry point of the `cdr-desk` command. Node >= 22.18 runs our TypeScript sources directly (type stripping), so
// the command works right after `npm install` with no build step; to start faster it runs a cached bundle of the
// same sources when one is current (bin/cli-bundle.js).
// Node's modules are taken with process.getBuiltinModule, not imported: see BUILTIN_IMPORT in bin/cli-bundle.js.
const { enableCompileCache } = process.getBuiltinModule('node:module');

// V8 keeps the code it compiled for our modules in Node's compile cache (in the temporary folder, or
// $NODE_COMPILE_CACHE): later starts skip compiling them. Enabled before they load, so they are all covered.
enableCompileCache();
const { cliEntry } = await import('./cli-bundle.js');
const { main } = await import(await cliEntry());
process.exitCode = await main(process.argv.slice(2));
