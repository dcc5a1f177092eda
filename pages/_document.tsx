import { Head, Html, Main, NextScript } from "next/document";

/**
 * The HTML shell: the page's language, so assistive technology reads it with the right voice, and the app's icon (the
 * browser asks for /favicon.ico otherwise, a 404 in the console of every page).
 */
export default function Document() {
  return (
    <Html lang="en">
      <Head>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </Head>
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
