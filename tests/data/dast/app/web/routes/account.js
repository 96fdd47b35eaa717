// Account pages, mounted under /account by server.js.
const express = require('express');

const router = express.Router();

router.get('/profile/:id', (req, res) => {
  res.json({ id: req.params.id });
});

module.exports = router;
