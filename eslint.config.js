// Lint: typescript-eslint's recommended rules over src, test, bench.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const USE_A_MAP = 'a record keyed by outside data must have no prototype: use a Map or emptyRecord() (src/core/dictionary.ts)';
/** Syntax that builds, fills or reads a record that has a prototype by key: a key "__proto__" or "toString" would reach Object.prototype. */
const PROTOTYPE_HAZARDS = [
  ["VariableDeclarator[id.typeAnnotation.typeAnnotation.typeName.name='Record'] > ObjectExpression.init[properties.length=0]", USE_A_MAP],
  ["VariableDeclarator[id.typeAnnotation.typeAnnotation.type='TSTypeLiteral'] > ObjectExpression.init[properties.length=0]", USE_A_MAP],
  ["PropertyDefinition[typeAnnotation.typeAnnotation.typeName.name='Record'] > ObjectExpression.value[properties.length=0]", USE_A_MAP],
  ["TSAsExpression > ObjectExpression.expression[properties.length=0]", USE_A_MAP],
  ["CallExpression[callee.property.name='reduce'] > ObjectExpression.arguments[properties.length=0]", USE_A_MAP],
  ["AssignmentExpression[operator='??='] > MemberExpression.left[computed=true][property.type!='Literal']", USE_A_MAP],
  ["CallExpression[callee.object.name='Object'][callee.property.name='assign'] > ObjectExpression.arguments:first-child", 'Object.assign({}, x) sets the prototype when x has a "__proto__" key: use a spread'],
];
const IN_CHECK = ["BinaryExpression[operator='in'][left.type!='Literal']", '`key in obj` finds inherited names too ("toString" in {}): use Map#has or Object.hasOwn'];
const asRule = ([selector, message]) => ({ selector, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'out/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // prototype pollution (issue 20): a record keyed by outside data is a Map or emptyRecord() (src/core/dictionary.ts).
    // The layers that take HTTP bodies and imported files; ml, eval and sim key records by names the engine makes.
    files: ['src/core/**/*.ts', 'src/storage/**/*.ts', 'src/pipeline/**/*.ts', 'src/serving/**/*.ts', 'src/client/**/*.ts', 'src/cli/**/*.ts', 'src/web/console/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', ...[...PROTOTYPE_HAZARDS, IN_CHECK].map(asRule)] },
  },
  {
    // ml, eval and sim read size labels and names from data too (a size "constructor" was Object to normaliseSize)
    files: ['src/ml/**/*.ts', 'src/eval/**/*.ts', 'src/sim/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', asRule(IN_CHECK)] },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
