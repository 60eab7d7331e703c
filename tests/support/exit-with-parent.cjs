// Preloaded into every test server (`node --require`): exit when the process that started
// it is gone. Otherwise a test runner that dies without its teardown leaves an orphaned
// `next start` behind, which spins at 100% CPU on EPIPE once its stdout pipe is closed.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1000).unref();
