/** The standard scalars, from graphql-scalars. */
import { DateTimeResolver, JSONResolver, LocalDateResolver, NonEmptyStringResolver, NonNegativeIntResolver, URLResolver } from 'graphql-scalars';

export const LocalDate = LocalDateResolver;
export const NonEmptyString = NonEmptyStringResolver;
export const NonNegativeInt = NonNegativeIntResolver;
export const URL = URLResolver;
export const DateTime = DateTimeResolver;
export const JSON = JSONResolver;
