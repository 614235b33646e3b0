// undici parses HTTP with llhttp compiled to WebAssembly; its calls back into JS go through wasm-to-JS wrappers,
// which V8 tiers up after a budget of calls. In Node 24's V8, freeing such a wrapper while worker threads (the sync
// writer, the read thread, export parts) start and end can abort the whole process: "Check failed:
// jit_page.has_value()" in ThreadIsolation::UnregisterWasmAllocation, reached from Runtime_TierUpWasmToJSWrapper
// (seen in the conformance suite). A budget that is never spent keeps the wrappers generic and off that path.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--wasm-wrapper-tiering-budget=2147483647');
