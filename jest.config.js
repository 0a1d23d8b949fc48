// One Jest config for the whole workspace: libs/apps are resolved through the
// same path aliases as tsconfig.base.json, and transpiled by SWC (with decorator
// metadata, which NestJS dependency injection needs).
const { paths } = require('./tsconfig.base.json').compilerOptions;
const swc = JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc.json', 'utf8'));
delete swc.$schema;

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
}

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/'],
  moduleNameMapper,
  testMatch: ['<rootDir>/{apps,libs,tests,tools}/**/*.{spec,e2e}.ts'],
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
