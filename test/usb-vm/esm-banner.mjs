/**
 * The banner both usb-vm bundles (bundle-service.mjs, bundle-tests.mjs) put at the top of their one ES module file:
 * CommonJS dependencies bundled into an ES module still ask for require, __filename and __dirname.
 */
export const COMMONJS_IN_ESM_BANNER = {
  js: [
    "import { createRequire as __rigRequire } from 'node:module'",
    "import { fileURLToPath as __rigPath } from 'node:url'",
    "import { dirname as __rigDir } from 'node:path'",
    'const require = __rigRequire(import.meta.url)',
    'const __filename = __rigPath(import.meta.url)',
    'const __dirname = __rigDir(__filename)'
  ].join('; ')
}
