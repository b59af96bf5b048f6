import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {loadSync, type Options, type PackageDefinition} from '@grpc/proto-loader';

/** The proto ships next to this module (the build copies it to dist/source/adapters/cri/). */
export const CRI_PROTO_URL = new URL('./runtime-v1.proto', import.meta.url);

/** Plain JS shapes: camelCase fields, int64 as number, enums as their names, defaults filled in. */
export const CRI_LOADER_OPTIONS: Options = {
	keepCase: false,
	longs: Number,
	enums: String,
	defaults: true,
	oneofs: true,
};

let cached: PackageDefinition | undefined;

/**
 * The proto next to this module. The single executable embeds it as a file under its virtual
 * root (scripts/sea-bundle.mjs), served by its fs.readFileSync like every embedded asset.
 */
export function loadCriPackageDefinition(): PackageDefinition {
	if (cached) return cached;
	const path = fileURLToPath(CRI_PROTO_URL);
	if (!existsSync(path)) throw new Error(`CRI protocol file missing: ${path} (reinstall layerscope)`);
	cached = loadSync(path, CRI_LOADER_OPTIONS);
	return cached;
}

/** Parse proto text by writing it to a private temp file (proto-loader only reads files). */
export function loadCriProtoText(text: string): PackageDefinition {
	const dir = mkdtempSync(join(tmpdir(), 'layerscope-proto-'));
	try {
		const file = join(dir, 'runtime-v1.proto');
		writeFileSync(file, text, {mode: 0o600});
		return loadSync(file, CRI_LOADER_OPTIONS);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
