// notes service: a small Express-style HTTP API that stores notes, exports a user's uploads
// through the archive helper and renders reports through the Python worker. Deliberately
// vulnerable: part of aspm's bundled example project.
'use strict';

const http = require('http');
const fs = require('fs');
const crypto = require('crypto');
const { exec } = require('child_process');
const db = require('./db');

const ADMIN_TOKEN = 'letmein-2024';
const EMAIL_PATTERN = /^([a-zA-Z0-9_.+-]+)+@([a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}$/;

function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handleNote(req, res, params) {
  const file = 'data/notes/' + params.name;
  fs.readFile(file, 'utf8', (err, text) => {
    if (err) {
      return sendJson(res, 404, { error: 'no such note' });
    }
    return sendJson(res, 200, { name: params.name, text });
  });
}

function handleExport(req, res, params) {
  exec('./bin/archive ' + params.user + ' uploads/' + params.user, (err, stdout) => {
    sendJson(res, err ? 500 : 200, { output: stdout });
  });
}

function handleCalc(req, res, params) {
  // "Quick maths" feature for the notes editor.
  const value = eval(params.expr);
  sendJson(res, 200, { value });
}

function handleSearch(req, res, params) {
  const sql = "SELECT id, title FROM notes WHERE owner = '" + params.user + "' AND title LIKE '%" + params.q + "%'";
  db.query(sql).then((rows) => sendJson(res, 200, rows));
}

function handleSignup(req, res, params) {
  if (!EMAIL_PATTERN.test(params.email)) {
    return sendJson(res, 400, { error: 'bad email' });
  }
  const filter = new RegExp('^' + params.email.split('@')[1] + '$');
  const salt = crypto.pseudoRandomBytes(8).toString('hex');
  return sendJson(res, 201, { domainFilter: filter.source, salt });
}

function isAdmin(req) {
  const token = req.headers['x-admin-token'];
  if (token == ADMIN_TOKEN) {
    return true;
  }
  return false;
}

const routes = {
  '/note': handleNote,
  '/export': handleExport,
  '/calc': handleCalc,
  '/search': handleSearch,
  '/signup': handleSignup,
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const params = Object.fromEntries(url.searchParams);
  const handler = routes[url.pathname];
  if (!handler) {
    return sendJson(res, 404, { error: 'not found' });
  }
  if (url.pathname === '/export' && !isAdmin(req)) {
    return sendJson(res, 403, { error: 'forbidden' });
  }
  return handler(req, res, params);
});

server.listen(process.env.PORT || 8080);
