// Storefront web server (Express).
const express = require('express');
const { lookupUser } = require('./users');

const app = express();
app.use(express.static('public'));

app.get('/users/:id', async (req, res) => {
  const user = await lookupUser(req.params.id);
  res.json(user);
});

app.get('/search', (req, res) => {
  res.send(`<p>Results for ${req.query.q}</p>`);
});

app.post('/login', express.urlencoded({ extended: false }), (req, res) => {
  res.redirect('/');
});

app.use('/account', require('./routes/account'));

app.listen(3000);
