'use strict';
// One call: a widget watches a price and never stops: its listener, and the widget it holds, stay on the
// feed. `leakhound check` reports 2 functions per call: the listener and the callback it closes over.
const { watch, publish } = require('../src/price-feed');

class Widget {
  constructor() {
    this.prices = [];
  }
}

module.exports = async () => {
  const widget = new Widget();
  watch('ACME', (p) => widget.prices.push(p));
  publish('ACME', 42);
};
