const express = require('express');

const app = express();
app.post('/notify', (req, res) => res.sendStatus(202));
app.listen(3000);
