'use strict';
/*
 * reconnect-listeners.js: a reconnecting socket client that adds a listener on every reconnect.
 *
 * What it is: a TCP server on 127.0.0.1 (in this same process, random port) that greets each
 * client and hangs up, and a client that reconnects 20 ms after each disconnect. On every connect
 * the client subscribes to the application's long-lived `appEvents` emitter ('shutdown') so it can
 * close its socket on shutdown.
 * What leaks: the 'shutdown' listener is added per connection and never removed when the socket
 * closes. Each listener closure keeps its closed `socket` (a net.Socket with its stream state) and
 * a ClientSession (~2 KB) alive through `appEvents._events.shutdown`. Node prints a
 * MaxListenersExceededWarning once; that is expected. About 8-10 MB/min.
 * The fix: `socket.on('close', () => appEvents.off('shutdown', closeOnShutdown))`, or register the
 * shutdown hook once, outside connect(), and let it close whatever socket is current.
 *
 * Run: node examples/reconnect-listeners.js
 */
const net = require('net');
const { EventEmitter } = require('events');

class ClientSession {
  constructor(attempt) {
    this.attempt = attempt;
    this.connectedAt = Date.now();
    this.greeting = null;
    this.scratch = Buffer.alloc(2048, `attempt-${attempt}.`).toString('latin1');
  }
}

const appEvents = new EventEmitter();

const server = net.createServer((conn) => {
  conn.end('hello from server\n');
});

let attempts = 0;

function connect(port) {
  const session = new ClientSession(++attempts); // leak:allocates
  const socket = net.connect(port, '127.0.0.1');
  // BUG: one more 'shutdown' listener per connection, never removed.
  appEvents.on('shutdown', function closeOnShutdown() {
    socket.destroy();
    session.greeting = null;
  });
  socket.setEncoding('utf8');
  socket.on('data', (text) => {
    session.greeting = text;
  });
  socket.on('error', () => {});
  socket.on('close', () => setTimeout(() => connect(port), 20));
}

server.listen(0, '127.0.0.1', () => {
  connect(server.address().port);
});
