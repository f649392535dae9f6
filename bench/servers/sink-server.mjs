// The third party that W3's http.request node calls: reads the body, answers 200 {"ok":true}.
// `GET /count` answers how many POSTs it received. Listens on 127.0.0.1:$PORT.
import { createServer } from 'node:http';

let received = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/count') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ received }));
    return;
  }
  request.on('data', () => undefined);
  request.on('end', () => {
    received += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
