import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadPriorityFile, PriorityRules, type Priority } from './priority-rules';

/** Injection token of the priorities file path (undefined: the built-in rules). */
export const PRIORITIES_FILE = Symbol('PRIORITIES_FILE');

/**
 * The current priority rules. Read at start (a bad file at start fails the boot), then again on
 * SIGHUP and whenever the file changes; a file that does not validate keeps the rules in use
 * and says why in the log.
 */
@Injectable()
export class PriorityRulesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PriorityRules');
  private rules: PriorityRules;
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private readonly onHup = () => this.reload('SIGHUP');
  private loads = 0;

  constructor(@Inject(PRIORITIES_FILE) private readonly path: string | undefined) {
    this.rules = path ? loadPriorityFile(path) : PriorityRules.builtIn();
    this.loads = path ? 1 : 0;
  }

  onModuleInit(): void {
    process.on('SIGHUP', this.onHup);
    if (!this.path) return;
    // The directory is watched, not the file: editors and ConfigMap updates replace the file
    // (a new inode), which a watch on the file itself stops seeing.
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), (_type, changed) => {
      if (changed !== null && changed !== name && !changed.startsWith('..')) return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.reload('file change'), 100);
    });
    this.watcher.on('error', (err) => this.logger.warn(`watching ${this.path} stopped: ${err.message}; SIGHUP still reloads`));
  }

  onModuleDestroy(): void {
    process.off('SIGHUP', this.onHup);
    clearTimeout(this.debounce);
    this.watcher?.close();
  }

  /** The priority of a Junos event id under the rules in use. */
  classify(junosEvent: string): Priority {
    return this.rules.classify(junosEvent);
  }

  /** How many times the file was (re)loaded successfully, the start included (tests wait on it). */
  get generation(): number {
    return this.loads;
  }

  /** Reads the file again; keeps the old rules when it is bad. Returns true when the new rules are in use. */
  reload(why: string): boolean {
    if (!this.path) return false;
    try {
      this.rules = loadPriorityFile(this.path);
      this.loads++;
      this.logger.log(`priorities reloaded from ${this.path} (${why})`);
      return true;
    } catch (err) {
      this.logger.error(`priorities not reloaded (${why}), the previous rules stay in use: ${(err as Error).message}`);
      return false;
    }
  }
}
