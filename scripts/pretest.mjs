// Makes sure the Debian packages the tests need are present: installs them as root with apt-get
// when missing, otherwise stops with a message naming them.
import { execFileSync, spawnSync } from 'node:child_process';

const needed = [{ command: 'etcd', pkg: 'etcd-server' }];

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const missing = needed.filter((n) => !has(n.command));
if (missing.length > 0) {
  const pkgs = missing.map((m) => m.pkg);
  if (process.getuid?.() !== 0) {
    console.error(
      `The tests need the Debian package(s) ${pkgs.join(', ')}; install them: sudo apt-get install -y ${pkgs.join(' ')}`,
    );
    process.exit(1);
  }
  console.error(`pretest: installing ${pkgs.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  const still = missing.filter((m) => !has(m.command));
  if (still.length > 0) {
    console.error(
      `pretest: ${still.map((m) => m.pkg).join(', ')} did not provide ${still.map((m) => m.command).join(', ')}`,
    );
    process.exit(1);
  }
}
