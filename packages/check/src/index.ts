// @pipectl/check: contracts of a repository checked against a git base.
export {};
