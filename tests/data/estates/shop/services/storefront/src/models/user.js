// Customer accounts as stored by the storefront.
class User {
  constructor(email, passwordHash) {
    this.email = email;
    this.password = passwordHash;
  }
}

function findUser(email) {
  return email ? new User(email, '') : null;
}

module.exports = { User, findUser };
