const express = require('express');
const helmet = require('helmet');
const { findUser } = require('./models/user');

const app = express();
app.use(helmet());

app.get('/health', (req, res) => res.send('ok'));
app.get('/products/:id', (req, res) => res.json({ id: req.params.id }));
app.post('/login', (req, res) => {
  const user = findUser(req.body.email);
  res.json({ ok: Boolean(user) });
});

app.listen(process.env.PORT || 3000);
