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
let embeddedText: string | undefined;

/** For single-executable bundles: the proto text to use when the file next to this module is missing. */
export function setEmbeddedCriProto(text: string): void {
	embeddedText = text;
	cached = undefined;
}

export function loadCriPackageDefinition(): PackageDefinition {
	if (cached) return cached;
	const path = fileURLToPath(CRI_PROTO_URL);
	if (existsSync(path)) cached = loadSync(path, CRI_LOADER_OPTIONS);
	else if (embeddedText !== undefined) cached = loadCriProtoText(embeddedText);
	else throw new Error(`CRI protocol file missing: ${path} (reinstall layerscope)`);
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
