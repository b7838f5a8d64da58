// Entry of dist/server.js, which the VS Code client starts.
import { connectionFromArgs, startServer } from './server';

startServer(connectionFromArgs());
