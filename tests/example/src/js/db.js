// db: a stand-in for the notes database driver, so the example service is self-contained.
'use strict';

const rows = [];

function query(sql) {
  return Promise.resolve(rows.filter((row) => sql.includes(row.title)));
}

function loadPlugin(name) {
  return require('./plugins/' + name);
}

module.exports = { query, loadPlugin };
