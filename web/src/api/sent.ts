/**
 * A response body as the server sends it. The generated schema marks as optional the fields whose
 * default is a factory (`Field(default_factory=list)`): a request may leave them out, but pydantic
 * serialises every field of a response, so none is ever missing from one.
 */
export type Sent<T> = T extends readonly (infer Item)[]
  ? Sent<Item>[]
  : T extends object
    ? { [Key in keyof T]-?: Sent<T[Key]> }
    : T;
