// A stand-in for "your payments API" in the README walkthrough: prints what it receives.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 4000);
createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    console.log(
      `${request.method} ${request.url} idempotency-key=${request.headers['idempotency-key']}`,
    );
    console.log(body);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ received: true }));
  });
}).listen(port, '127.0.0.1', () => console.log(`receiver listening on http://127.0.0.1:${port}`));
