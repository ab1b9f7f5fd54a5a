/** The spec library: load a protocol, validate its messages. */
export { loadSpec, type LoadOptions } from './load.js';
export { validatorFor, jsonPath, jsonType, preview, type Validator, type ValidationIssue, type ValidationResult, type IssueCode } from './validator.js';
export { KitError, SpecError, type SpecErrorCode } from './errors.js';
export { BUILTIN_PROTOCOLS, isBuiltin, packageRoot, specFile, type BuiltinProtocol } from './paths.js';
export type { Spec, MessageDef, ServerDef, ChannelDef, Direction } from './model.js';
export type * from './extension.js';
