import { Head, Html, Main, NextScript } from "next/document";

/** The HTML shell: the page's language, so assistive technology reads it with the right voice. */
export default function Document() {
  return (
    <Html lang="en">
      <Head />
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
