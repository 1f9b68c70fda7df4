'use strict';
// One call: a widget watches a price, gets an update, and stops watching. No leak.
const { watch, publish } = require('../src/price-feed');

class Widget {
  constructor() {
    this.prices = [];
  }
}

module.exports = async () => {
  const widget = new Widget();
  const stop = watch('ACME', (p) => widget.prices.push(p));
  publish('ACME', 42);
  stop();
};
