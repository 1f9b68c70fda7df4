'use strict';
// A price feed: subscribers get each new price of the symbol they watch. watch() returns the function that
// stops watching; a caller that never calls it keeps its listener (and what the listener holds) on the feed
// for as long as the feed lives.
const { EventEmitter } = require('node:events');

const feed = new EventEmitter();
feed.setMaxListeners(0);

function watch(symbol, onPrice) {
  const listener = (update) => {
    if (update.symbol === symbol) {
      onPrice(update.price);
    }
  };
  feed.on('price', listener);
  return () => feed.off('price', listener);
}

function publish(symbol, price) {
  feed.emit('price', { symbol, price });
}

module.exports = { watch, publish, feed };
