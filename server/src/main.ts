// Entry of dist/server.js, which the VS Code client starts.
import { watchFraming } from './framing-guard';
import { connectionFromArgs, startServer } from './server';

const connection = connectionFromArgs();
startServer(connection);
// Over stdin the protocol library exits when the stream ends, but not when its framing breaks.
if (process.argv.includes('--stdio')) {
  watchFraming(process.stdin, (problem) => {
    const message = `hatopo: cannot read the editor's messages any more (${problem}); exiting so that the editor can start a new server`;
    process.stderr.write(`${message}\n`);
    connection.console.error(message);
    process.stdin.pause();
    // Time for the log message to leave; 2 as `hatopo` exits on input it cannot read.
    setTimeout(() => process.exit(2), 100);
  });
}
