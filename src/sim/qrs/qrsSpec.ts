import apps from '../../../specs/qrs-apps.swagger.json';
import swagger from '../../../specs/qrs-license.swagger.json';

/**
 * specs/qrs-license.swagger.json, the license part of the QRS contract. The contract validates
 * against it and the simulator's `/about` reports its build, so the two can never disagree.
 */
export const qrsSpec: unknown = swagger;

/**
 * specs/qrs-apps.swagger.json: the app and app object reads swap rules use, cut from the same
 * Repository API build as the license subset (specs/README.md says where from).
 */
export const qrsAppsSpec: unknown = apps;

/** Every file of the QRS contract, by its path in the repository; the contract loads them all as one spec. */
export const QRS_SPEC_FILES: readonly { readonly file: string; readonly spec: unknown }[] = [
  { file: 'specs/qrs-license.swagger.json', spec: swagger },
  { file: 'specs/qrs-apps.swagger.json', spec: apps },
];

/** The Repository API build the spec was taken from (`info.version`, e.g. 38.22.0). */
export const QRS_SPEC_VERSION: string = swagger.info.version;

/** The release the spec was taken from (`info.description`, e.g. "… QSEoW November 2022 Patch 2."). */
export const QRS_SPEC_DESCRIPTION: string = swagger.info.description;
