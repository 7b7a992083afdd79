import { describe, expect, it } from 'vitest';
import { parseNodesOptions } from './nodes-options.ts';
import { UsageError } from './up-options.ts';

describe('wharf nodes flags', () => {
  it('defaults to 3 nodes named node-N and the first KUBECONFIG entry', () => {
    expect(parseNodesOptions([], { KUBECONFIG: '/a/kc:/b/kc' })).toEqual({
      kubeconfig: '/a/kc',
      count: 3,
      namePrefix: 'node',
      nodeIP: '127.0.0.1',
      kubeletPort: 0,
      help: false,
    });
  });

  it('reads --kubeconfig, --context, --count, --name-prefix, --node-ip and --kubelet-port', () => {
    const args = ['--kubeconfig', 'k', '--context', 'c', '--count', '50', '--name-prefix', 'sim'];
    expect(parseNodesOptions([...args, '--node-ip', '10.1.2.3', '--kubelet-port', '10250'], {})).toEqual({
      kubeconfig: 'k',
      context: 'c',
      count: 50,
      namePrefix: 'sim',
      nodeIP: '10.1.2.3',
      kubeletPort: 10250,
      help: false,
    });
  });

  it.each([
    [[], '--kubeconfig is required (or set KUBECONFIG)'],
    [['--kubeconfig', 'k', '--count', '0'], 'invalid value "0" for --count: must be an integer from 1 to 100000'],
    [['--kubeconfig', 'k', '--count', 'x'], 'invalid value "x" for --count: must be an integer from 1 to 100000'],
    [
      ['--kubeconfig', 'k', '--name-prefix', 'Bad_'],
      'invalid value "Bad_" for --name-prefix: must be a lower-case DNS label',
    ],
    [['--kubeconfig', 'k', '--node-ip', 'host'], 'invalid value "host" for --node-ip: must be an IP address'],
    [
      ['--kubeconfig', 'k', '--kubelet-port', '70000'],
      'invalid value "70000" for --kubelet-port: must be an integer from 0 to 65535',
    ],
    [['--kubeconfig', 'k', '--port', '1'], "Unknown option '--port'"],
  ])('rejects %j', (args, message) => {
    expect(() => parseNodesOptions(args, {})).toThrow(UsageError);
    expect(() => parseNodesOptions(args, {})).toThrow(message);
  });
});
