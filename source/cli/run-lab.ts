import {OperatorError} from '../domain/operator-error.js';
import {formatEnv, labDown, labEnv, labUp} from '../adapters/lab/lab.js';

export async function runLab(action: string | undefined, flags: {dir: string; purge: boolean; reset: boolean}): Promise<number> {
	const log = (line: string) => process.stderr.write(`lab: ${line}\n`);
	switch (action) {
		case 'up':
			process.stdout.write(formatEnv(await labUp(flags.dir, log)) + '\n');
			return 0;
		case 'down':
			await labDown(flags.dir, {purge: flags.purge});
			log(`stopped the private engines in ${flags.dir}`);
			return 0;
		case 'seed': {
			const {labSeed} = await import('../adapters/lab/seed.js');
			await labSeed(flags.dir, {reset: flags.reset, log});
			log('scenario seeded; growth continues in the background (capped)');
			return 0;
		}
		case 'env':
			process.stdout.write(formatEnv(labEnv(flags.dir)) + '\n');
			return 0;
		default:
			throw new OperatorError(`unknown lab action "${action ?? ''}"`, {hint: 'layerscope lab up|down|env|seed [--dir DIR]', code: 'BAD_COMMAND'});
	}
}
