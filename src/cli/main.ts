// Placeholder until the CLI lands (issue: API server). Prints usage.
console.log('usage: wharf up [--port N] [--nodes N] [--data-dir DIR] [--etcd URL,...] [--host H] [--kubeconfig PATH]');
