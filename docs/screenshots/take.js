// A customer's visit to the storefront, photographed at each step for the README. Run by take.sh.
const { chromium } = require(process.env.PLAYWRIGHT_PACKAGE);
const [baseURL, out] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.SHOP_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
  const page = await browser.newPage({ baseURL, viewport: { width: 1200, height: 800 }, locale: 'en-US' });
  const shot = name => page.screenshot({ path: `${out}/${name}.png` });

  await page.goto('/account/register');
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill(`screenshots-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();

  await page.goto('/catalog?category=electronics&inStock=true');
  await shot('catalog');

  await page.getByTestId('product-card').first().click();
  await page.waitForURL(/\/products\//);
  await page.getByRole('button', { name: 'Add to cart' }).waitFor();
  await shot('product');

  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').waitFor();
  await page.goto('/cart');
  await shot('cart');

  await page.goto('/checkout');
  await page.getByLabel('A new address').check();
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Address line 1').fill('12 Analytical Street');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postal code').fill('N1 9GU');
  await page.getByLabel('Country code').fill('GB');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Name on card').fill('Ada Lovelace');
  await page.getByLabel('Expiry month').fill('12');
  await page.getByLabel('Expiry year').fill(String(new Date().getFullYear() + 2));
  await page.getByLabel('Security code').fill('123');
  await page.getByTestId('place-order').click();
  await page.getByTestId('order-confirmation').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('order');

  await browser.close();
})().catch(error => { console.error(error); process.exit(1); });
