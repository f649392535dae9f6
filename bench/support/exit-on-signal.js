// Preloaded (-r) into a Hookflow process the bench profiles with --cpu-prof: SIGUSR2 exits at
// once with code 0, so Node writes the .cpuprofile (a process killed by a signal writes none).
// Registered before Nest's own shutdown listeners, so it runs first.
process.once('SIGUSR2', () => process.exit(0));
