import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {OperatorError} from '../../domain/operator-error.js';

/** Binary the lab needs -> the Debian package that ships it. */
const needed: Array<[string[], string]> = [
	[['/usr/sbin/dockerd', '/usr/bin/dockerd'], 'docker.io'],
	[['/usr/bin/containerd'], 'containerd'],
	[['/usr/sbin/runc', '/usr/bin/runc'], 'runc'],
	[['/bin/busybox', '/usr/bin/busybox'], 'busybox-static'],
	[['/usr/bin/podman'], 'podman'],
	// Buildah makes the "external" containers Podman lists but did not create.
	[['/usr/bin/buildah'], 'buildah'],
];

export function missingPackages(): string[] {
	return needed.filter(([paths]) => !paths.some(p => existsSync(p))).map(([, pkg]) => pkg);
}

/** The lab could not start: one line and a hint, exit 2. */
export class LabError extends OperatorError {
	constructor(message: string, hint = '') {
		super(message, {hint, code: 'LAB'});
		this.name = 'LabError';
	}
}

/** Installs missing engine packages as root on Debian; otherwise a one-line error naming them. */
export function ensurePackages(log: (line: string) => void = () => {}): void {
	const missing = missingPackages();
	if (missing.length === 0) return;
	const isRoot = process.getuid?.() === 0;
	const debian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
	if (!isRoot || !debian) {
		throw new LabError(`the lab needs ${missing.join(', ')}`, `install ${missing.length > 1 ? 'them' : 'it'} (apt-get install ${missing.join(' ')}) and run as root`);
	}
	log(`installing ${missing.join(' ')} with apt-get`);
	const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
	try {
		execFileSync('apt-get', ['update', '-qq'], {stdio: 'ignore', env});
		execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {stdio: 'ignore', env});
	} catch {
		throw new LabError(`apt-get install ${missing.join(' ')} failed`, 'run it by hand to see why');
	}
	const still = missingPackages();
	if (still.length > 0) throw new LabError(`still missing after apt-get: ${still.join(', ')}`);
}
