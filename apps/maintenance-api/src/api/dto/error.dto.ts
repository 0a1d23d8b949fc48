import { createZodDto } from 'nestjs-zod';
import { ErrorBody } from './common.dto';

/** Response: the body of every error. */
export class ErrorDto extends createZodDto(ErrorBody) {}
