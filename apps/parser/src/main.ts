import { runService } from '@maintwatch/runtime';
import { parserService } from './parser.service';

void runService(parserService);
