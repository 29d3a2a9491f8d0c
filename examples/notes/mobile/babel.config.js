// babel-preset-expo, plus one fix for the repository's TypeScript packages: they declare type-only class
// fields (`declare readonly _: …`), which the preset's Flow pass rejects unless TypeScript strips them first.
const typescript = require.resolve('@babel/plugin-transform-typescript', {
  paths: [require.resolve('babel-preset-expo')],
});

module.exports = (api) => {
  api.cache(true);
  return {
    presets: ['babel-preset-expo'],
    overrides: [
      {
        test: (file) => !!file?.endsWith('.ts'),
        plugins: [[typescript, { allowDeclareFields: true, allowNamespaces: true }]],
      },
      {
        test: (file) => !!file?.endsWith('.tsx'),
        plugins: [[typescript, { allowDeclareFields: true, allowNamespaces: true, isTSX: true }]],
      },
    ],
  };
};
