import { readSessionChunks } from "@/lib/nextauth/mirror/cookie";

const NAME = "next-auth.session-token";
const read = (cookie: string | undefined) => readSessionChunks({ headers: cookie === undefined ? {} : { cookie } }, NAME);

describe("readSessionChunks (the session cookie from the raw Cookie header)", () => {
  it.each([
    ["alone", `${NAME}=abc`, [NAME], "abc"],
    ["among others", `a=1; ${NAME}=abc; b=2`, [NAME], "abc"],
    ["without spaces", `a=1;${NAME}=abc;b=2`, [NAME], "abc"],
    ["quoted", `${NAME}="abc"`, [NAME], "abc"],
    ["%-encoded", `${NAME}=a%2Bb`, [NAME], "a+b"],
    ["badly %-encoded (kept as sent)", `${NAME}=a%E0b`, [NAME], "a%E0b"],
    ["empty", `${NAME}=`, [NAME], ""],
    ["in chunks, in any order", `${NAME}.1=def; ${NAME}.0=abc`, [`${NAME}.1`, `${NAME}.0`], "abcdef"],
    ["twice (the first wins)", `${NAME}=abc; ${NAME}=def`, [NAME], "abc"],
    ["only inside another cookie's value", `other=${NAME}=abc`, [], ""],
    ["absent", "a=1; b=2", [], ""],
    ["no header", undefined, [], ""],
  ])("%s", (_, header, names, value) => {
    expect(read(header)).toEqual({ names, value });
  });
});
