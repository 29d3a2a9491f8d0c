// Metro for the notes mobile app. Expo's defaults handle the npm workspace (watch folders, node_modules
// lookup up to the repository root); two additions for the repository's TypeScript packages:
// - their sources import siblings as `./file.js` (Node ESM style), which exists only as `./file.ts`/`.tsx`;
// - `@syncline/schema`'s main entry carries Node-only code, so only its `client` entry may be bundled.
const { getDefaultConfig } = require('expo/metro-config');

const config = getDefaultConfig(__dirname);

config.resolver.resolveRequest = (context, moduleName, platform) => {
  if (moduleName === '@syncline/schema') moduleName = '@syncline/schema/client';
  if (/^\.{1,2}\/.*\.js$/.test(moduleName)) {
    for (const ext of ['.ts', '.tsx']) {
      try {
        return context.resolveRequest(context, moduleName.replace(/\.js$/, ext), platform);
      } catch {
        // not TypeScript: resolve as written below
      }
    }
  }
  return context.resolveRequest(context, moduleName, platform);
};

module.exports = config;
