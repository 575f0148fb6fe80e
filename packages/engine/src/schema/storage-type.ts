// When a contract's type and an observed type "match" lives in @pipectl/spec, so the compiler's
// typing at validate and the engine's check before publishing use one rule.
export { sameStorage, storageType } from '@pipectl/spec';
