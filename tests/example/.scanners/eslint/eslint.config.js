// ESLint configuration used by tests/example/regenerate.sh: the security plugin's recommended
// rules plus the core rules that catch dynamic code execution, over the example's JavaScript.
'use strict';

const security = require('eslint-plugin-security');

module.exports = [
  {
    files: ['src/js/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'commonjs',
    },
    plugins: { security },
    rules: {
      ...security.configs.recommended.rules,
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      eqeqeq: 'warn',
    },
  },
];
