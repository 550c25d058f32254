import type { Template } from './templates.ts';

const MEN_SIZES = ['7', '8', '9', '10', '11', '12', '13'];
const WOMEN_SIZES = ['5', '6', '7', '8', '9', '10'];
const TOP_SIZES = ['XS', 'S', 'M', 'L', 'XL'];

const shoe = (who: "Men's" | "Women's", category: string, sizes: readonly string[]): Template[] => [
  {
    category,
    weight: 3,
    brands: ['fleetfoot', 'stridewell', 'northpeak'],
    names: [`{brand} ${who} {model} Running Shoes`, `{brand} ${who} {model} Trail Running Shoes`],
    label: 'Shoe',
    usd: [69, 199],
    attributes: (r) => ({ material: r.pick(['Engineered mesh', 'Knit']), drop: `${r.pick([4, 6, 8, 10])} mm` }),
    axes: { size: sizes, color: ['Black', 'White', 'Coral', 'Navy', 'Volt Green'] },
    describe: [
      'Light, cushioned running shoes with a {drop} drop and a breathable {material} upper.',
      'A grippy outsole for wet roads and trails; built for daily miles and race day.',
    ],
  },
  {
    category,
    weight: 2,
    brands: ['stridewell', 'velora', 'northpeak'],
    names: [
      `{brand} ${who} {model} Leather Boots`,
      `{brand} ${who} {model} Canvas Sneakers`,
      `{brand} ${who} {model} Hiking Boots`,
    ],
    label: 'Shoe',
    usd: [49, 249],
    attributes: (r) => ({ material: r.pick(['Leather', 'Canvas', 'Suede']) }),
    axes: { size: sizes, color: ['Black', 'Tan', 'White', 'Olive'] },
    describe: ['Everyday {material} footwear with a cushioned footbed and a sole that lasts.'],
  },
];

const top = (who: "Men's" | "Women's", category: string): Template => ({
  category,
  weight: 3,
  brands: ['loomcraft', 'velora', 'northpeak', 'fleetfoot'],
  names: [
    `{brand} ${who} {model} Organic Cotton T-Shirt`,
    `{brand} ${who} {model} Merino Wool Sweater`,
    `{brand} ${who} {model} Linen Shirt`,
    `{brand} ${who} {model} Running Top`,
  ],
  label: 'Top',
  usd: [19, 149],
  attributes: (r) => ({
    material: r.pick(['Cotton', 'Merino wool', 'Linen', 'Recycled polyester']),
    fit: r.pick(['Regular', 'Slim', 'Relaxed']),
  }),
  axes: { size: TOP_SIZES, color: ['Black', 'White', 'Heather Grey', 'Navy', 'Rust', 'Sage'] },
  describe: ['A {fit}-fit top in soft {material}, cut to layer and made to be washed often.'],
});

export const LIFESTYLE: readonly Template[] = [
  {
    category: 'kitchen',
    weight: 3,
    brands: ['hearthstone', 'copperleaf'],
    names: [
      "{brand} {model} 8-inch Chef's Knife",
      '{brand} {model} Cast Iron Skillet',
      '{brand} {model} Espresso Machine',
      '{brand} {model} Electric Kettle',
      '{brand} {model} Nonstick Frying Pan',
      '{brand} {model} High-Speed Blender',
    ],
    label: 'Kitchen',
    usd: [19, 699],
    attributes: (r) => ({ material: r.pick(['Stainless steel', 'Cast iron', 'Ceramic', 'Aluminium']) }),
    axes: { color: ['Black', 'Copper', 'Cream', 'Sage'] },
    describe: ['Made from {material} for years of everyday cooking; dishwasher safe where it matters.'],
  },
  {
    category: 'furniture',
    weight: 2,
    brands: ['oakhaven'],
    names: [
      '{brand} {model} Oak Dining Table',
      '{brand} {model} Velvet Accent Chair',
      '{brand} {model} Walnut Bookshelf',
      '{brand} {model} Linen Three-Seat Sofa',
      '{brand} {model} Standing Desk',
    ],
    label: 'Furniture',
    usd: [129, 2499],
    attributes: (r) => ({
      material: r.pick(['Solid oak', 'Walnut veneer', 'Velvet', 'Linen']),
      assembly: r.pick(['Required', 'None']),
    }),
    axes: { finish: ['Natural', 'Smoked', 'White', 'Charcoal'] },
    describe: ['Solid construction in {material}; assembly: {assembly}. Designed to be passed down.'],
  },
  {
    category: 'bedding',
    weight: 2,
    brands: ['duvetta'],
    names: [
      '{brand} {model} Cotton Percale Sheet Set',
      '{brand} {model} Down Alternative Duvet',
      '{brand} {model} Memory Foam Pillow',
    ],
    label: 'Bedding',
    usd: [29, 399],
    attributes: (r) => ({
      material: r.pick(['Organic cotton', 'Linen', 'Bamboo lyocell']),
      thread_count: r.pick(['300', '400', '600']),
    }),
    axes: { size: ['Twin', 'Full', 'Queen', 'King'], color: ['White', 'Oat', 'Slate', 'Blush'] },
    step: { axis: 'size', usd: 20 },
    describe: ['Breathable {material} bedding for cool, deep sleep; softens with every wash.'],
  },
  ...shoe("Men's", 'mens-shoes', MEN_SIZES),
  ...shoe("Women's", 'womens-shoes', WOMEN_SIZES),
  top("Men's", 'mens-tops'),
  top("Women's", 'womens-tops'),
  {
    category: 'running',
    weight: 2,
    brands: ['fleetfoot', 'pixelon'],
    names: ['{brand} {model} GPS Running Watch', '{brand} {model} Running Belt', '{brand} {model} Hydration Vest'],
    label: 'Running',
    usd: [15, 499],
    attributes: (r) => ({ battery: `${r.pick([7, 14, 21])} days`, waterproof: r.pick(['5 ATM', '10 ATM', 'No']) }),
    axes: { color: ['Black', 'Coral', 'Blue'] },
    describe: ['Gear for runners: light, secure, and comfortable on long runs.'],
  },
  {
    category: 'cycling',
    weight: 2,
    brands: ['ridgeline'],
    names: [
      '{brand} {model} Road Bike Helmet',
      '{brand} {model} Bike Light Set',
      '{brand} {model} Carbon Road Bike',
      '{brand} {model} Cycling Jersey',
    ],
    label: 'Cycling',
    usd: [25, 3999],
    attributes: (r) => ({ material: r.pick(['Carbon', 'Aluminium', 'Polycarbonate']) }),
    axes: { size: ['S', 'M', 'L'], color: ['Black', 'Red', 'Yellow'] },
    describe: ['Built for the road: {material}, light and tested for safety.'],
  },
  {
    category: 'fitness',
    weight: 2,
    brands: ['ironform'],
    names: [
      '{brand} {model} Adjustable Dumbbells',
      '{brand} {model} Yoga Mat',
      '{brand} {model} Resistance Bands Set',
      '{brand} {model} Kettlebell',
    ],
    label: 'Fitness',
    usd: [15, 599],
    attributes: (r) => ({ material: r.pick(['Cast iron', 'Natural rubber', 'TPE', 'Latex']) }),
    axes: { color: ['Black', 'Purple', 'Teal'] },
    describe: ['Home-gym equipment in {material} that takes a beating and stores away neatly.'],
  },
  {
    category: 'outdoor',
    weight: 2,
    brands: ['northpeak', 'ridgeline'],
    names: [
      '{brand} {model} Two-Person Backpacking Tent',
      '{brand} {model} Down Sleeping Bag',
      '{brand} {model} Trekking Poles',
      '{brand} {model} Insulated Water Bottle',
    ],
    label: 'Outdoor',
    usd: [19, 699],
    attributes: (r) => ({
      weight: `${r.pick(['0.4', '0.9', '1.3', '2.1'])} kg`,
      season: r.pick(['3-season', '4-season']),
    }),
    axes: { color: ['Forest', 'Orange', 'Grey'] },
    describe: ['Light ({weight}) and weatherproof {season} kit for nights under the stars.'],
  },
];
