// Entry of dist/hatopo.js: runs the tool on the process's arguments. Importing main.ts runs nothing.
import { main } from './main';

void main(process.argv.slice(2)).then((status) => {
  // A failed write of the output (not a closed pipe) has already set 2.
  process.exitCode ||= status;
});
