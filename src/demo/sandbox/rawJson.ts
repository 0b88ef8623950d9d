/** A JSON body sent exactly as written (hostile bodies whose escapes must survive as they are). */
export class RawJson {
  constructor(readonly text: string) {}
}
