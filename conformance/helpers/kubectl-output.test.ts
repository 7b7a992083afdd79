import { describe, expect, it } from 'vitest';
import { missingInOrder } from './kubectl-output.ts';

const describeNode = ['System Info:', '  Kernel Version:  6.1.0', '  OS Image:  Debian', 'Pods:  110'].join('\n');

describe('missingInOrder (upstream checkOutput)', () => {
  it('lets one line satisfy consecutive groups, as Version: and Kernel Version: do', () => {
    expect(missingInOrder(describeNode, [['Version:'], ['Kernel Version:'], ['OS Image:'], ['Pods:']])).toBeUndefined();
  });

  it('refuses groups out of order', () => {
    expect(missingInOrder(describeNode, [['Pods:'], ['OS Image:']])).toMatch(/OS Image:/);
  });

  it('needs the other strings on the line that holds the first one', () => {
    expect(missingInOrder(describeNode, [['OS Image:', 'Ubuntu']])).toMatch(/lacks \["Ubuntu"\]/);
  });
});
