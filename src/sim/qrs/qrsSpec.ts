import swagger from '../../../specs/qrs-license.swagger.json';

/**
 * specs/qrs-license.swagger.json, the one QRS contract in the repository. The contract validates
 * against it and the simulator's `/about` reports its build, so the two can never disagree.
 */
export const qrsSpec: unknown = swagger;

/** The Repository API build the spec was taken from (`info.version`, e.g. 38.22.0). */
export const QRS_SPEC_VERSION: string = swagger.info.version;

/** The release the spec was taken from (`info.description`, e.g. "… QSEoW November 2022 Patch 2."). */
export const QRS_SPEC_DESCRIPTION: string = swagger.info.description;
