export * from './core/types';
export * from './core/errors';
export { runProvider, runProcessor, withDefaults, passesFilters, ProviderRunError, collapseWhitespace, type ProviderRun } from './core/engine';
export { readMail, MAILPARSER_OPTIONS, DEFAULT_MAX_PART_BYTES, type ReadMailOptions } from './core/mail';
export { ProviderRegistry, GENERIC_PROVIDER_TYPE } from './core/registry';
export { parseMail, parseNotification, selectProvider, type ParseOptions } from './core/parse';
export { resolveZone, localToEpoch, mailDateToEpoch, fromFormat } from './core/zones';
export { BUILT_IN_PROVIDERS, builtInRegistry } from './registry';
export { loadCorpus, runCase, notificationFromFiles, sortKeys, collapseSummaries, type CorpusCase, type CaseResult } from './corpus/corpus';
