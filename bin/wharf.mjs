#!/usr/bin/env -S node --max-semi-space-size=64
// A 64 MiB young generation: the API server, scheduler and kubelets allocate short-lived objects per
// request and per pod; in the scheduler bench's default workload garbage collection took 18% of the CPU
// with V8's default size, 16% with 32 MiB and 11% with 64, for about 100 MiB more resident memory once
// the young generation has grown (npm start and npm run bench run with the same setting).
import '../dist/wharf.mjs';
