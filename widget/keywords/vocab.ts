// Canonical vocabularies and the phrase lexicon the extractor and the normaliser share. Mostly data: the few
// functions at the bottom turn the tables into one phrase -> tags index, built once at module load.

export const STYLES = [
  'traditional', 'neo-traditional', 'japanese', 'blackwork', 'fine-line', 'watercolor', 'realism', 'geometric',
  'dotwork', 'tribal', 'minimalist', 'trash-polka', 'new-school', 'chicano', 'illustrative', 'sketch', 'ornamental',
  'biomechanical', 'surrealism', 'script', 'celtic', 'polynesian', 'abstract',
] as const;
export type Style = (typeof STYLES)[number];

export const PLACEMENTS = [
  'forearm', 'upper-arm', 'half-sleeve', 'sleeve', 'shoulder', 'upper-back', 'lower-back', 'back', 'chest', 'sternum',
  'ribs', 'stomach', 'hip', 'thigh', 'calf', 'shin', 'ankle', 'foot', 'wrist', 'hand', 'finger', 'neck', 'behind-ear',
  'spine', 'collarbone',
] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const SIZES = ['tiny', 'small', 'medium', 'large', 'extra-large'] as const;
export type Size = (typeof SIZES)[number];

export const COLORS = [
  'black-and-grey', 'full-color', 'red', 'blue', 'green', 'yellow', 'orange', 'purple', 'pink', 'white', 'gold', 'teal',
  'brown', 'black', 'grey',
] as const;
export type Color = (typeof COLORS)[number];

// Phrases are matched as lower-case words joined by single spaces, with articles and possessives ("a", "my",
// "the") and side words ("left", "inner") already dropped by the tokeniser, so "on the back of my hand" is
// looked up as "back of hand".
const STYLE_WORDS: Record<Style, readonly string[]> = {
  traditional: ['traditional', 'american traditional', 'traditional american', 'old school', 'oldschool', 'trad',
    'sailor jerry', 'americana', 'classic american', 'bold will hold'],
  'neo-traditional': ['neo traditional', 'neotraditional', 'neo trad', 'neotrad', 'new traditional'],
  // "traditional japanese" must win over "traditional": the person means one style, not two.
  japanese: ['japanese', 'irezumi', 'tebori', 'horimono', 'wabori', 'traditional japanese', 'japanese traditional',
    'japanese style', 'oriental'],
  blackwork: ['blackwork', 'black work', 'blackout', 'black out', 'heavy black', ],
  'fine-line': ['fine line', 'fineline', 'fine lined', 'thin line', 'thin lines', 'single needle', 'linework',
    'line work', 'line art', 'line drawing', 'delicate lines', 'fine lines', 'one line', 'single line',
    'continuous line'],
  watercolor: ['watercolor', 'watercolour', 'water color', 'water colour', 'watercolors', 'watercolours',
    'watercolor style', 'watercolour style'],
  realism: ['realism', 'realistic', 'realistically', 'photorealistic', 'photo realistic', 'photorealism',
    'hyperrealistic', 'hyper realistic', 'hyperrealism', 'hyper realism', 'lifelike', 'life like', 'true to life',
    'real looking', 'portrait style'],
  geometric: ['geometric', 'geometrical', 'geometry', 'geo'],
  dotwork: ['dotwork', 'dot work', 'stippling', 'stipple', 'stippled', 'pointillism', 'pointillist', 'dotted shading'],
  tribal: ['tribal'],
  minimalist: ['minimalist', 'minimalistic', 'minimal', 'minimalism', 'simple', 'simplistic', 'understated'],
  'trash-polka': ['trash polka', 'trashpolka', 'trash polka style'],
  'new-school': ['new school', 'newschool'],
  chicano: ['chicano', 'chicana', 'cholo', 'east la', 'lowrider'],
  illustrative: ['illustrative', 'illustration', 'illustrated', 'storybook', 'engraving', 'etching', 'woodcut',
    'linocut'],
  sketch: ['sketch', 'sketchy', 'sketched', 'sketchbook', 'pencil sketch', 'hand drawn', 'scribble', 'scribbly'],
  ornamental: ['ornamental', 'ornate', 'decorative', 'ornamentation'],
  biomechanical: ['biomechanical', 'biomech', 'bio mech', 'bio mechanical'],
  surrealism: ['surrealism', 'surreal', 'surrealist', 'surrealistic', 'dali', 'dalí'],
  script: ['script', 'cursive', 'calligraphy', 'calligraphic', 'handwriting', 'handwritten', 'hand lettering',
    'hand lettered', 'typewriter font', 'gothic lettering', 'old english lettering', 'old english font', 'blackletter'],
  celtic: ['celtic', 'knotwork', 'knot work', 'irish knot'],
  polynesian: ['polynesian', 'maori', 'māori', 'samoan', 'marquesan', 'tongan', 'hawaiian tribal', 'ta moko', 'moko',
    'tatau', 'traditional polynesian', 'polynesian style'],
  abstract: ['abstract', 'abstraction', 'abstracted'],
};

// Single colours. "color"/"colour" on its own means full colour only when no single colour is named (WEAK).
const COLOR_WORDS: Record<Color, readonly string[]> = {
  'black-and-grey': ['black and grey', 'black and gray', 'black n grey', 'black n gray', 'black grey', 'black gray',
    'b and g', 'bng', 'greywash', 'grey wash', 'graywash', 'gray wash', 'greyscale', 'grayscale', 'black and white',
    'monochrome', 'monochromatic', 'shades of grey', 'shades of gray'],
  'full-color': ['full color', 'full colour', 'full colored', 'full coloured', 'colorful', 'colourful', 'colourfully',
    'colorfully', 'lots of color', 'lots of colour', 'lots of colors', 'lots of colours', 'loads of colour',
    'loads of color', 'plenty of color', 'plenty of colour', 'all colors', 'all colours', 'vibrant', 'vivid',
    'bright colors', 'bright colours', 'multicolor', 'multicolour', 'multicolored', 'multicoloured', 'multi color',
    'multi colour', 'multi colored', 'multi coloured', 'rainbow colors', 'rainbow colours', 'rainbow colored',
    'rainbow coloured', 'technicolor', 'in full color', 'in full colour'],
  red: ['red', 'reds', 'reddish', 'crimson', 'scarlet', 'maroon', 'burgundy', 'blood red', 'ruby', 'cherry red',
    'wine red', 'fire red', 'rose red'],
  blue: ['blue', 'blues', 'bluish', 'blueish', 'navy', 'cobalt', 'azure', 'sapphire', 'indigo', 'cerulean', 'baby blue', 'sky blue',
    'ocean blue', 'ice blue', 'royal blue', 'navy blue', 'sea blue'],
  green: ['green', 'greens', 'greenish', 'emerald', 'olive', 'mint', 'sage', 'jade', 'forest green', 'lime green', 'olive green',
    'mint green', 'sage green', 'sea green', 'leaf green'],
  yellow: ['yellow', 'yellows', 'yellowish', 'mustard', 'lemon yellow', 'sunflower yellow', 'mustard yellow'],
  orange: ['orange', 'oranges', 'orangey', 'orangish', 'amber', 'tangerine', 'burnt orange'],
  purple: ['purple', 'purples', 'purplish', 'violet', 'plum', 'mauve', 'lilac purple'],
  pink: ['pink', 'pinks', 'pinkish', 'magenta', 'fuchsia', 'blush', 'hot pink', 'pastel pink', 'coral pink',
    'baby pink', 'rose pink', 'dusty pink', 'dusty rose', 'peach pink'],
  white: ['white', 'white ink', 'whites', 'ivory', 'cream', 'snow white', 'bone white', 'pearl white'],
  gold: ['gold', 'golden', 'rose gold', 'gold leaf', 'gilded', 'gilt'],
  teal: ['teal', 'turquoise', 'aqua', 'cyan', 'aquamarine', 'seafoam'],
  brown: ['brown', 'browns', 'brownish', 'sepia', 'tan', 'beige', 'bronze', 'chocolate', 'rust'],
  black: ['black', 'black ink', 'all black', 'solid black', 'jet black', 'black only', 'only black', 'blackened'],
  grey: ['grey', 'gray', 'greys', 'grays', 'greyish', 'grayish', 'silver', 'charcoal', 'slate', 'steel grey', 'stone grey',
    'smoke grey', 'charcoal grey'],
};
const WEAK_COLOR_WORDS = ['color', 'colour', 'colors', 'colours', 'colored', 'coloured', 'in color', 'in colour',
  'with color', 'with colour', 'some color', 'some colour', 'few colors', 'few colours', 'splash of color',
  'splash of colour', 'pastel', 'pastels', 'pastel colors', 'pastel colours', 'neon', 'neon colors',
  'neon colours', 'pop of color', 'pop of colour', 'pops of color', 'pops of colour', 'bit of color',
  'bit of colour', 'couple of colors', 'couple of colours', 'colour palette', 'color palette', 'coloring', 'colouring'];

// "?word": a body part that is also an everyday word or motif ("a hand holding a rose"); it counts as a placement
// only after "my/the/on/..." or standing alone in its own clause.
const PLACEMENT_WORDS: Record<Placement, readonly string[]> = {
  forearm: ['forearm', 'forearms', 'lower arm', '?arm', '?arms', 'top of forearm', 'underside of arm',
    'inside of arm', 'elbow ditch'],
  'upper-arm': ['upper arm', 'upper arms', 'bicep', 'biceps', 'tricep', 'triceps', 'back of arm', 'quarter sleeve',
    'around arm', 'arm band', 'armband', 'outer arm'],
  'half-sleeve': ['half sleeve', 'half sleeves', 'half arm', 'half of arm', 'half arm sleeve'],
  sleeve: ['sleeve', 'full sleeve', 'arm sleeve', 'whole arm', 'entire arm', 'full arm', 'sleeves', 'full sleeves',
    'arm from shoulder to wrist', 'shoulder to wrist'],
  shoulder: ['shoulder', 'shoulders', 'shoulder blade', 'shoulder blades', 'top of shoulder', 'deltoid', 'delt',
    'shoulder cap'],
  'upper-back': ['upper back', 'top of back', 'between shoulder blades', 'between shoulders', 'across shoulders',
    'upper spine'],
  'lower-back': ['lower back', 'small of back', 'bottom of back', 'tramp stamp', 'base of spine', 'lumbar'],
  back: ['?back', 'full back', 'whole back', 'entire back', 'back piece', 'backpiece', 'middle of back', 'mid back',
    'full back piece'],
  chest: ['chest', 'pec', 'pecs', 'pectoral', 'pectorals', 'breast', 'chest piece', 'chestpiece', 'centre of chest',
    'center of chest', 'middle of chest', 'breastplate'],
  sternum: ['sternum', 'underboob', 'under boob', 'under boobs', 'between breasts', 'between boobs', 'solar plexus',
    'under bust', 'underbust', 'breastbone'],
  ribs: ['ribs', 'rib', 'rib cage', 'ribcage', 'side of ribs', '?side', 'side body', 'flank', 'side of torso',
    'side of body', 'along ribs'],
  stomach: ['stomach', 'lower stomach', 'lower belly', 'belly', 'tummy', 'abdomen', 'abs', 'navel', 'belly button', 'midriff', 'stomach piece'],
  hip: ['hip', 'hips', 'hip bone', 'hipbone', 'hip bones', 'pelvis', 'side of hip'],
  thigh: ['thigh', 'thighs', 'upper thigh', '?leg', '?legs', 'upper leg', 'front of thigh', 'thigh piece',
    'side of thigh', 'back of thigh', 'above knee', 'leg sleeve', 'full leg', 'whole leg'],
  calf: ['calf', 'calves', 'back of leg', 'lower leg', 'back of calf', 'calf muscle'],
  shin: ['shin', 'shins', 'front of leg', 'front of lower leg', 'shinbone'],
  ankle: ['ankle', 'ankles', 'achilles', 'above ankle', 'around ankle'],
  foot: ['?foot', '?feet', 'top of foot', 'instep', 'toe', 'toes', 'side of foot'],
  wrist: ['wrist', 'wrists', 'inside of wrist'],
  hand: ['?hand', '?hands', 'back of hand', 'top of hand', '?palm', 'side of hand'],
  finger: ['?finger', '?fingers', 'ring finger', 'index finger', 'middle finger', 'pinky', 'pinky finger', 'thumb',
    'knuckle', 'knuckles', 'side of finger'],
  neck: ['?neck', 'back of neck', 'nape', 'nape of neck', 'side of neck', 'throat', 'front of neck'],
  'behind-ear': ['behind ear', 'behind ears', '?ear', '?ears', 'back of ear', 'ear lobe', 'earlobe'],
  spine: ['spine', 'along spine', 'backbone', 'length of spine'],
  collarbone: ['collarbone', 'collarbones', 'collar bone', 'collar bones', 'clavicle', 'clavicles'],
};

// How big the area itself makes the piece: a full sleeve is never small.
const PLACEMENT_SIZE_WORDS: Record<string, Size> = {
  sleeve: 'extra-large', 'full sleeve': 'extra-large', 'whole arm': 'extra-large', 'entire arm': 'extra-large',
  'full arm': 'extra-large', sleeves: 'extra-large', 'full sleeves': 'extra-large', 'arm sleeve': 'extra-large',
  'shoulder to wrist': 'extra-large', 'arm from shoulder to wrist': 'extra-large',
  'full back': 'extra-large', 'whole back': 'extra-large', 'entire back': 'extra-large', 'back piece': 'extra-large',
  backpiece: 'extra-large', 'full back piece': 'extra-large',
  'leg sleeve': 'extra-large', 'full leg': 'extra-large', 'whole leg': 'extra-large',
  'half sleeve': 'large', 'half sleeves': 'large', 'half arm': 'large', 'half of arm': 'large',
  'half arm sleeve': 'large', 'length of spine': 'large',
};

const SIZE_WORDS: Record<Size, readonly string[]> = {
  tiny: ['tiny', 'teeny', 'teeny tiny', 'itty bitty', 'very small', 'super small', 'extra small', 'really tiny',
    'micro', 'mini', 'minuscule', 'miniature', 'very little', 'super tiny', 'coin sized', 'size of coin',
    'quarter sized', 'size of quarter', 'dime sized', 'fingernail sized', 'smallest', 'tiniest'],
  small: ['small', 'little', 'smallish', 'really small', 'fairly small', 'quite small', 'pretty small', 'petite',
    'compact', 'palm sized', 'size of palm', 'credit card sized', 'size of credit card', 'fits in palm',
    'matchbox sized', 'smaller', 'small ish', 'not too big',
    'not very big', 'not that big'],
  medium: ['medium', 'medium sized', 'mid sized', 'mid size', 'midsize', 'moderate', 'moderately sized',
    'hand sized', 'size of hand', 'average size', 'average sized', 'medium size', 'normal size', 'regular size'],
  large: ['large', 'big', 'biggish', 'sizeable', 'sizable', 'fairly big', 'quite big', 'pretty big', 'really big',
    'good size', 'good sized', 'decent size', 'decent sized', 'bigger', 'larger', 'large scale', 'statement piece'],
  'extra-large': ['extra large', 'huge', 'massive', 'enormous', 'giant', 'gigantic', 'very big', 'very large',
    'super big', 'really large', 'bodysuit', 'body suit', 'full body', 'biggest', 'as big as possible', 'xl'],
};

/** Feeling words kept as the person said them; the aliases fold spelling variants together. */
export const MOODS: readonly string[] = [
  'dark', 'gothic', 'playful', 'elegant', 'symmetrical', 'bold', 'peaceful', 'whimsical', 'meaningful', 'spiritual',
  'feminine', 'masculine', 'girly', 'delicate', 'dainty', 'cute', 'sweet', 'creepy', 'spooky', 'eerie', 'haunting',
  'sinister', 'mysterious', 'mystical', 'magical', 'dreamy', 'ethereal', 'romantic', 'fierce', 'aggressive',
  'powerful', 'strong', 'calm', 'serene', 'tranquil', 'happy', 'joyful', 'cheerful', 'sad', 'melancholic', 'moody',
  'subtle', 'soft', 'gentle', 'edgy', 'badass', 'fun', 'funny', 'quirky', 'witty', 'majestic', 'regal', 'graceful',
  'nostalgic', 'hopeful', 'uplifting', 'empowering', 'wild', 'intense', 'dramatic', 'energetic', 'earthy',
  'psychedelic', 'trippy', 'cosmic', 'celestial', 'sacred', 'protective', 'classy', 'sexy', 'timeless', 'gritty', 'raw',
  'rebellious', 'punk', 'tough', 'brave', 'loving', 'sentimental', 'personal', 'symbolic', 'vintage', 'retro',
  'scary', 'menacing', 'evil', 'angry', 'chill', 'zen', 'striking', 'balanced', 'harmonious', 'flowing', 'macabre',
  'morbid', 'grim', 'somber', 'emotional', 'tender', 'heartfelt', 'proud', 'resilient', 'religious', 'holy', 'divine',
  'witchy', 'boho', 'bohemian', 'fiery', 'mythical', 'epic', 'heroic', 'enchanting', 'memorial', 'innocent',
  'intricate', 'detailed', 'dynamic', 'airy', 'kawaii', 'weird', 'occult', 'rustic', 'mournful', 'angelic',
  'heavenly', 'courageous', 'wise', 'loyal', 'untamed', 'adventurous', 'calming', 'relaxing', 'cozy', 'cosy', 'warm',
  'cheeky', 'silly', 'lighthearted', 'grateful', 'haunted', 'grungy', 'mischievous', 'fearless', 'regal', 'noble',
  'ominous', 'gloomy', 'bittersweet', 'wistful',
];
const MOOD_ALIASES: Record<string, string> = {
  goth: 'gothic', melancholy: 'melancholic', sombre: 'somber', symmetric: 'symmetrical', mystic: 'mystical',
  'bad ass': 'badass', 'light hearted': 'lighthearted', 'free spirited': 'free-spirited',
  'free spirit': 'free-spirited', peacefull: 'peaceful', spiritually: 'spiritual', meaningfull: 'meaningful', dreamlike: 'dreamy',
  otherworldly: 'ethereal',
  // Refinements ("make it bolder") name the mood by its comparative.
  bolder: 'bold', darker: 'dark', softer: 'soft', gentler: 'gentle', wilder: 'wild', fiercer: 'fierce', edgier: 'edgy',
  spookier: 'spooky', creepier: 'creepy', cuter: 'cute', calmer: 'calm', moodier: 'moody', subtler: 'subtle',
  happier: 'happy', stronger: 'strong', dreamier: 'dreamy', grittier: 'gritty',
  // A cartoon reads as playful to an artist even when nobody says "playful".
  cartoon: 'playful', cartoony: 'playful', cartoonish: 'playful', cartoonlike: 'playful',
};

// Motifs, singular. "canonical|variant|variant": variants (and the plural of every form) map to the canonical
// form. Groups give the kind, used for "<animal> head" -> animal and "a bird, maybe a swallow" -> swallow.
export type MotifKind = 'animal' | 'bird' | 'sea' | 'reptile' | 'insect' | 'myth' | 'person' | 'flower' | 'plant'
  | 'tree' | 'sky' | 'nature' | 'object' | 'symbol' | 'mask' | 'food' | 'body' | 'texture' | 'activity';

const MOTIF_GROUPS: Record<MotifKind, readonly string[]> = {
  animal: ['animal', 'wolf', 'fox', 'bear|grizzly|grizzly bear|brown bear', 'polar bear', 'panda|panda bear',
    'lion', 'lioness', 'cub', 'tiger|tigress', 'leopard', 'snow leopard', 'cheetah', 'jaguar', 'panther|black panther', 'lynx',
    'cougar|mountain lion|puma', 'cat|kitty|kitty cat', 'kitten', 'dog|doggo', 'puppy|pup', 'deer', 'stag', 'doe', 'fawn',
    'elk', 'moose', 'reindeer', 'horse|stallion|mare', 'pony', 'foal', 'zebra', 'giraffe', 'elephant', 'rhino|rhinoceros',
    'hippo|hippopotamus', 'bull', 'cow', 'ox', 'bison|buffalo', 'ram', 'goat', 'sheep', 'lamb', 'pig|piglet',
    'rabbit', 'bunny', 'hare', 'squirrel', 'hedgehog', 'mouse', 'rat', 'bat', 'raccoon', 'badger', 'otter', 'beaver',
    'sloth', 'koala', 'kangaroo', 'monkey', 'ape', 'gorilla', 'chimpanzee|chimp', 'orangutan', 'lemur', 'camel',
    'llama', 'alpaca', 'boar|wild boar', 'hyena', 'coyote', 'jackal', 'ferret', 'skunk', 'wolverine', 'armadillo',
    'dachshund|sausage dog', 'pug', 'corgi', 'husky', 'labrador', 'poodle', 'beagle', 'german shepherd',
    'french bulldog|frenchie', 'bulldog', 'pitbull|pit bull', 'greyhound', 'chihuahua', 'dalmatian', 'hound',
    'golden retriever', 'border collie', 'lucky cat|maneki neko'],
  bird: ['bird|birdie', 'swallow', 'sparrow', 'hummingbird|humming bird', 'raven', 'crow', 'eagle|bald eagle', 'hawk',
    'falcon', 'owl|barn owl|snowy owl', 'dove', 'pigeon', 'robin', 'bluebird', 'blue jay', 'cardinal', 'magpie',
    'parrot', 'macaw', 'toucan', 'flamingo', 'peacock|peafowl', 'swan', 'crane', 'heron', 'stork', 'pelican',
    'seagull|gull', 'albatross', 'penguin', 'chicken', 'hen', 'rooster|cockerel', 'duck', 'goose', 'kingfisher', 'finch',
    'wren', 'vulture', 'condor', 'ostrich', 'puffin', 'woodpecker', 'canary', 'lovebird', 'osprey', 'kestrel',
    'starling', 'nightingale', 'blackbird', 'songbird', 'bird of paradise', 'feather|plume', 'wing', 'nest', 'egg',
    'angel wing', 'birdcage|bird cage'],
  sea: ['fish', 'koi|koi fish|koi carp|carp', 'goldfish', 'shark|great white|hammerhead', 'whale|humpback|humpback whale',
    'orca|killer whale', 'dolphin', 'octopus|octopi|octopuses', 'squid', 'jellyfish|jelly fish', 'seahorse|sea horse',
    'starfish|sea star', 'turtle|sea turtle', 'tortoise', 'crab', 'lobster', 'shrimp|prawn', 'manta ray|manta|stingray',
    'clownfish|clown fish', 'angelfish', 'swordfish', 'pufferfish|puffer fish|blowfish', 'betta|betta fish', 'salmon',
    'trout', 'bass', 'pike', 'catfish', 'eel', 'seal', 'walrus', 'narwhal', 'coral', 'shell|seashell|sea shell',
    'conch|conch shell', 'nautilus|nautilus shell', 'axolotl', 'frog', 'toad', 'salamander', 'newt', 'otter'],
  reptile: ['snake|serpent', 'cobra', 'python', 'rattlesnake', 'viper', 'lizard', 'gecko', 'chameleon', 'iguana',
    'crocodile|croc', 'alligator|gator', 'dinosaur', 't rex|trex|tyrannosaurus'],
  insect: ['insect|bug', 'butterfly', 'moth', 'luna moth', 'death moth|death head moth|deaths head moth',
    'bee|honeybee|honey bee|bumblebee|bumble bee', 'dragonfly', 'beetle', 'scarab|scarab beetle', 'ladybug|ladybird',
    'spider', 'scorpion', 'ant', 'firefly', 'grasshopper', 'mantis|praying mantis', 'cicada', 'caterpillar', 'snail',
    'wasp', 'hornet', 'centipede', 'spider web|spiderweb|cobweb|web', 'cocoon'],
  myth: ['dragon', 'phoenix', 'unicorn', 'pegasus', 'griffin|gryphon', 'kraken', 'mermaid|merman', 'siren',
    'fairy|faerie', 'angel', 'cherub', 'demon', 'hydra', 'cerberus', 'minotaur', 'medusa', 'kitsune', 'qilin',
    'werewolf', 'vampire', 'centaur', 'sphinx', 'thunderbird', 'valkyrie', 'goblin', 'troll', 'elf', 'witch',
    'wizard', 'grim reaper|reaper', 'ghost', 'zombie', 'skeleton', 'oni', 'foo dog|fu dog|guardian lion', 'tengu',
    'baku', 'yokai', 'gargoyle', 'cyclops', 'yeti', 'nymph', 'fae', 'alien', 'cyborg', 'daruma', 'guardian angel',
    'halo', 'devil'],
  person: ['woman|lady|girl', 'geisha', 'samurai', 'warrior', 'viking', 'knight', 'pirate', 'sailor',
    'pin-up|pin up|pinup|pin up girl|pinup girl', 'clown', 'jester', 'astronaut|spaceman', 'cowboy', 'cowgirl',
    'ballerina', 'dancer', 'nun', 'saint', 'virgin mary|our lady of guadalupe|guadalupe', 'jesus|christ', 'buddha',
    'ganesha|ganesh', 'goddess', 'king', 'queen', 'princess', 'monk', 'ninja', 'baby', 'muse', 'catrina|la catrina',
    'gypsy', 'mother and child', 'couple', 'hula girl', 'athena', 'zeus', 'poseidon', 'odin', 'thor', 'joker',
    'harlequin', 'mermaid tail'],
  mask: ['mask', 'hannya mask|hannya|hannya demon', 'oni mask', 'samurai mask', 'kabuki mask', 'gas mask',
    'venetian mask|masquerade mask', 'theatre masks|theater masks|comedy and tragedy masks|drama masks'],
  flower: ['flower|floral|florals', 'blossom', 'bloom', 'rose|rosebud|rose bud', 'peony', 'lotus', 'cherry blossom|sakura',
    'sunflower', 'daisy', 'lily', 'tulip', 'orchid', 'poppy', 'lavender', 'hibiscus', 'magnolia', 'chrysanthemum',
    'dahlia', 'carnation', 'iris', 'marigold', 'daffodil', 'jasmine', 'forget-me-not|forget me not', 'lilac',
    'hydrangea', 'camellia', 'gardenia', 'anemone', 'wildflower|wild flower', 'dandelion', 'thistle', 'protea',
    'bluebell', 'snowdrop', 'foxglove', 'morning glory', 'water lily|waterlily', 'plumeria|frangipani', 'zinnia',
    'larkspur', 'sweet pea', 'aster', 'honeysuckle', 'edelweiss', 'primrose', 'buttercup', 'clover|four leaf clover',
    'shamrock', 'birth flower', 'poinsettia', 'wisteria', 'heather', 'lupin', 'cornflower',
    'bluebonnet', 'hyacinth', 'freesia', 'ranunculus', 'gerbera', 'amaryllis', 'hellebore', 'nasturtium', 'clematis',
    'orange blossom', 'edelweiss flower', 'cosmos flower', 'azalea', 'fuchsia flower', 'periwinkle', 'calla lily', 'lily of the valley', 'gladiolus', 'begonia'],
  plant: ['plant', 'fern', 'leaf', 'vine', 'ivy', 'branch', 'twig', 'olive branch', 'laurel|laurel wreath|laurel leaf',
    'wreath', 'monstera|monstera leaf', 'eucalyptus', 'palm leaf|palm frond', 'bamboo', 'cactus|cacti', 'succulent',
    'mushroom|toadstool', 'moss', 'reed', 'wheat', 'bouquet', 'acorn', 'pine cone|pinecone', 'thorn', 'root',
    'bonsai|bonsai tree', 'maple leaf', 'ginkgo|ginkgo leaf', 'oak leaf', 'seaweed', 'kelp', 'herb', 'sprig',
    'stem', 'seed', 'petal', 'greenery', 'foliage', 'aloe', 'cannabis leaf|weed leaf', 'hops', 'grass', 'cotton', 'holly', 'mistletoe', 'rosemary',
    'thyme', 'basil', 'cattail', 'agave', 'lotus pod', 'datura', 'belladonna|nightshade', 'mandrake',
    'crown of thorns', 'thorny vine', 'rose vine', 'yggdrasil'],
  tree: ['tree', 'tree of life', 'oak tree|oak', 'pine tree|pine|evergreen|fir tree|fir', 'palm tree', 'willow tree|willow|weeping willow',
    'birch tree|birch', 'cherry tree', 'apple tree', 'forest|woods', 'maple tree', 'cypress', 'redwood', 'baobab', 'cedar',
    'sequoia', 'juniper', 'spruce', 'yew', 'elm', 'aspen', 'jacaranda', 'acacia', 'olive tree', 'lemon tree',
    'dead tree', 'tree stump', 'tree branch'],
  sky: ['moon|full moon|half moon', 'crescent moon|crescent', 'moon phase|phases of moon|lunar phase',
    'sun|sunburst', 'star', 'nautical star', 'shooting star', 'north star', 'planet', 'saturn', 'earth', 'galaxy',
    'constellation', 'comet', 'eclipse', 'solar system', 'sparkle|twinkle', 'lightning bolt|bolt', 'lightning',
    'rainbow', 'cloud', 'raindrop', 'rain', 'snowflake', 'sunset', 'sunrise', 'sky', 'night sky', 'universe', 'nebula',
    'aurora|northern lights', 'space', 'ufo', 'rocket|rocket ship', 'spaceship', 'black hole', 'satellite',
    'third eye'],
  nature: ['mountain|mountain range|mountain peak|peak', 'wave|ocean wave|great wave', 'ocean', 'sea', 'river', 'lake',
    'waterfall', 'island', 'volcano', 'desert', 'landscape', 'flame', 'fire', 'smoke', 'water', 'storm', 'tornado',
    'crystal', 'gem|gemstone', 'jewel', 'diamond', 'pearl', 'rock', 'stone', 'cave', 'valley', 'beach', 'horizon',
    'seascape', 'cliff', 'canyon'],
  object: ['anchor', 'compass', 'compass rose', 'map', 'world map', 'ship|sailing ship', 'pirate ship', 'sailboat',
    'boat', 'ship in bottle|ship in a bottle', 'ship wheel|ships wheel|ship\'s wheel|helm', 'lighthouse', 'rope',
    'chain', 'key', 'skeleton key', 'lock|padlock', 'clock|clock face', 'pocket watch', 'hourglass', 'dagger',
    'knife', 'sword', 'katana', 'arrow', 'bow and arrow', 'bow', 'axe', 'spear', 'gun', 'pistol', 'revolver', 'bullet',
    'shield', 'crown', 'tiara', 'ring', 'candle', 'lantern', 'lamp', 'book', 'quill', 'pen', 'pencil', 'paintbrush',
    'camera', 'guitar', 'violin', 'piano', 'music note|musical note', 'headphones', 'microphone|mic', 'record|vinyl',
    'cassette|cassette tape', 'skateboard', 'bicycle|bike', 'motorcycle|motorbike', 'car', 'airplane|aeroplane|plane',
    'paper airplane|paper plane|paper aeroplane', 'hot air balloon', 'balloon', 'robot', 'teacup|tea cup',
    'coffee cup|cup of coffee|coffee mug', 'mug', 'cup', 'wine glass', 'bottle', 'dice', 'playing card|card',
    'ace of spades', 'horseshoe', 'mirror', 'scissors', 'needle', 'thread', 'sewing machine', 'tattoo machine',
    'dreamcatcher|dream catcher', 'arrowhead', 'totem|totem pole', 'trident', 'torii gate|torii', 'pagoda',
    'temple', 'castle', 'house', 'cabin', 'bridge', 'skyline|city skyline', 'eiffel tower', 'tower', 'windmill',
    'tent', 'campfire', 'fishing rod|fishing pole', 'fish hook|fishhook|hook|fishing hook', 'lure|fishing lure', 'surfboard',
    'boxing glove', 'game controller|controller', 'light bulb|lightbulb', 'crystal ball', 'tarot card|tarot',
    'potion', 'cauldron', 'broom', 'umbrella', 'envelope', 'letter', 'locket', 'necklace', 'pocket knife', 'scythe',
    'sickle', 'hammer', 'wrench', 'gear|cog', 'barbed wire', 'wire', 'pipe', 'piston', 'circuit', 'frame', 'border',
    'banner', 'scroll', 'ribbon', 'cage', 'bell', 'trophy', 'flag', 'typewriter', 'telescope', 'globe',
    'stethoscope', 'paw print|pawprint', 'footprint', 'fingerprint', 'handprint', 'crucifix', 'rosary|rosary beads',
    'prayer beads|mala', 'chalice', 'grenade', 'cannon', 'tank', 'helmet', 'spartan helmet', 'viking ship', 'sail',
    'oar', 'net', 'cameo', 'vase', 'jar', 'urn', 'lollipop', 'heart locket',
    'sunglasses', 'glasses', 'hat', 'top hat', 'cowboy hat', 'witch hat', 'bow tie', 'scarf', 'flower crown',
    'headdress', 'bandana', 'boot|cowboy boot|hiking boot', 'shoe|sneaker|running shoe', 'high heel', 'kimono',
    'cape', 'veil', 'glove', 'garter', 'lipstick', 'perfume bottle', 'hand mirror', 'comb', 'razor|straight razor',
    'tattoo gun', 'ink bottle', 'palette', 'postage stamp|stamp', 'film strip|film reel', 'treble clef',
    'bass clef', 'piano key', 'drum', 'drumstick', 'cello', 'saxophone', 'trumpet', 'ukulele', 'guitar pick',
    'rifle', 'tomahawk', 'shuriken', 'truck', 'van|camper van|campervan', 'train', 'tractor', 'canoe', 'kayak',
    'kite', 'paper boat', 'paper crane|origami crane', 'big ben', 'statue of liberty', 'golden gate bridge',
    'church', 'pyramid', 'wedding ring', 'eight ball|8 ball', 'poker chip', 'dollar sign', 'soccer ball',
    'baseball bat', 'golf club', 'backpack', 'dumbbell', 'kettlebell', 'barbell', 'ballet shoe|pointe shoe',
    'triforce', 'lightsaber', 'deathly hallows', 'snitch|golden snitch', 'paper fan|folding fan', 'coffee',
    'teapot', 'bottle of wine|wine bottle', 'pocket mirror', 'matchstick',
    'cigarette', 'fork', 'spoon', 'whisk', 'rolling pin', 'chef knife', 'toolbox', 'magnifying glass'],
  symbol: ['cross', 'celtic cross', 'celtic knot', 'trinity knot|triquetra', 'triskele|triskelion', 'yin yang|yin and yang',
    'om symbol|om|aum|ohm|om sign', 'infinity symbol|infinity|infinity sign', 'peace sign|peace symbol', 'semicolon', 'unalome',
    'mandala', 'sacred geometry', 'flower of life', 'seed of life', 'metatron cube|metatrons cube', 'triangle',
    'circle', 'hexagon', 'diamond shape', 'dot', 'heart', 'sacred heart', 'broken heart',
    'heartbeat|heartbeat line|ekg|ekg line|lifeline|pulse line', 'hamsa|hand of fatima', 'evil eye', 'eye',
    'all-seeing eye|all seeing eye|eye of providence', 'eye of horus|eye of ra', 'ankh', 'pentagram', 'pentacle',
    'vegvisir', 'valknut', 'mjolnir|thors hammer|thor\'s hammer', 'rune', 'chakra', 'lotus mandala', 'sigil',
    'zodiac sign|zodiac', 'star of david', 'crescent and star', 'anarchy symbol', 'recycling symbol', 'arrow symbol',
    'spiral', 'swirl', 'knot', 'ouroboros', 'caduceus', 'fleur de lis|fleur-de-lis', 'tribal pattern',
    'geometric pattern', 'floral pattern', 'pattern', 'geometric shape', 'shape', 'anarchy', 'tribal band', 'fist',
    'handshake', 'lungs', 'claddagh', 'ichthys|jesus fish', 'khanda', 'dharma wheel', 'enso', 'koru', 'tiki',
    'sak yant', 'triple moon', 'triple goddess', 'helm of awe|aegishjalmur', 'sri yantra', 'trishula|trishul',
    'seal of solomon', 'hecate wheel', 'music symbol', 'lace', 'filigree', 'flourish',
    'emblem', 'crest', 'family crest', 'coat of arms'],
  food: ['cherry', 'strawberry', 'lemon', 'apple', 'peach', 'pineapple', 'avocado', 'banana', 'watermelon',
    'pomegranate', 'fig', 'grape|grapes|vine of grapes', 'donut|doughnut', 'cupcake', 'ice cream|ice cream cone',
    'pizza', 'taco', 'sushi', 'chili pepper|chilli pepper|chili|chilli', 'honeycomb|honey comb', 'coffee bean',
    'martini|cocktail', 'beer|beer mug', 'wine', 'cake', 'bread', 'onigiri', 'ramen', 'dumpling', 'berry',
    'blueberry', 'raspberry', 'orange slice', 'lime'],
  body: ['skull|human skull', 'sugar skull|candy skull|calavera', 'bone', 'crossbones|skull and crossbones',
    'anatomical heart', 'brain', 'hand', 'skeleton hand', 'praying hands|praying hand', 'lips|kiss|kiss mark',
    'tear|teardrop', 'tongue', 'tooth', 'claw', 'horn', 'antler', 'tusk', 'fang', 'tail', 'tentacle', 'paw'],
  texture: ['splatter|paint splatter|ink splatter|splash|paint splash|splat|paint splat|ink splash', 'newspaper text|newspaper|newspaper clipping|newsprint',
    'torn skin|ripped skin|skin tear|skin rip|torn flesh', 'wind bar|wind bars', 'brush stroke|brushstroke',
    'background', 'smudge', 'drip', 'ink drip'],
  // Hobbies stand in for a motif only when nothing else is pictured ("he loved fishing"): see extract.ts.
  activity: ['fishing', 'hunting', 'surfing', 'skateboarding', 'snowboarding', 'skiing', 'hiking', 'rock climbing',
    'camping', 'cycling', 'gaming', 'music', 'dance', 'ballet', 'yoga', 'boxing', 'scuba diving', 'golf',
    'travel|travelling|traveling', 'gardening', 'baking', 'cooking', 'knitting', 'photography', 'horse riding', 'football', 'soccer', 'baseball', 'basketball', 'hockey', 'rugby',
    'tennis', 'motocross', 'wrestling', 'karate', 'jiu jitsu|bjj', 'martial arts'],
};

/** Same word for one and many ("two koi"). */
const UNCHANGING_PLURALS = new Set(['fish', 'deer', 'sheep', 'moose', 'koi', 'bison', 'elk', 'salmon', 'trout', 'squid',
  'shrimp', 'dice', 'aircraft', 'series', 'species', 'tarot']);
/** Only ever plural, and the canonical motif keeps the plural ("praying hands", "lungs"). */
const PLURAL_ONLY = new Set(['hands', 'headphones', 'scissors', 'lips', 'sunglasses', 'glasses', 'lungs', 'crossbones',
  'grapes', 'hops', 'woods', 'arts', 'lights', 'masks', 'news', 'pecs', 'abs', 'biceps', 'triceps', 'ribs', 'glutes',
  'delts']);
/** End in "s" but are singular ("compass", "lotus"), or are not nouns at all ("always"). */
const SINGULAR_S = new Set(['compass', 'cross', 'lotus', 'octopus', 'cactus', 'hibiscus', 'iris', 'crocus', 'narcissus',
  'pegasus', 'nautilus', 'walrus', 'albatross', 'moss', 'chaos', 'cosmos', 'gladiolus', 'eucalyptus', 'asparagus',
  'platypus', 'fungus', 'bass', 'grass', 'glass', 'dress', 'chess', 'kiss', 'boss', 'princess', 'goddess', 'lioness',
  'tigress', 'canvas', 'bus', 'atlas', 'jesus', 'zeus', 'cerberus', 'ouroboros', 'caduceus', 'medusa', 'stylus',
  'gas', 'success', 'always', 'yes', 'less', 'this', 'his', 'its', 'was', 'is', 'us', 'plus', 'across', 'famous']);

/** Plural -> singular where the spelling rules get it wrong. */
export const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  wolves: 'wolf', leaves: 'leaf', knives: 'knife', lives: 'life', wives: 'wife', halves: 'half', loaves: 'loaf',
  shelves: 'shelf', scarves: 'scarf', hooves: 'hoof', thieves: 'thief', elves: 'elf', dwarves: 'dwarf', selves: 'self',
  mice: 'mouse', geese: 'goose', teeth: 'tooth', feet: 'foot', men: 'man', women: 'woman', children: 'child',
  people: 'person', oxen: 'ox', octopi: 'octopus', cacti: 'cactus', fungi: 'fungus', tomatoes: 'tomato',
  potatoes: 'potato', heroes: 'hero', volcanoes: 'volcano', mangoes: 'mango', buffaloes: 'buffalo',
  mosquitoes: 'mosquito', tornadoes: 'tornado', echoes: 'echo', torpedoes: 'torpedo', dominoes: 'domino',
  cherubim: 'cherub', phenomena: 'phenomenon', criteria: 'criterion', calves: 'calf', ladies: 'lady', fairies: 'fairy',
  peonies: 'peony', daisies: 'daisy', lilies: 'lily', butterflies: 'butterfly', dragonflies: 'dragonfly',
  fireflies: 'firefly', cherries: 'cherry', strawberries: 'strawberry', berries: 'berry', poppies: 'poppy',
  puppies: 'puppy', bunnies: 'bunny', skies: 'sky', galaxies: 'galaxy', pansies: 'pansy', axes: 'axe',
};

/** Backdrops and framing: they become the subject only when nothing else is in the picture. */
export const SECONDARY_MOTIFS: ReadonlySet<string> = new Set([
  'banner', 'scroll', 'ribbon', 'frame', 'border', 'torn skin', 'splatter', 'lace', 'filigree', 'wind bar', 'sparkle',
  'dot', 'smoke', 'cloud', 'newspaper text', 'background', 'shading', 'flourish', 'brush stroke', 'smudge', 'drip',
  'ink drip', 'pattern', 'swirl',
]);

/** Motifs that bring their style or feeling with them. */
export const MOTIF_STYLES: Readonly<Record<string, readonly Style[]>> = {
  'celtic knot': ['celtic'], 'celtic cross': ['celtic'], 'trinity knot': ['celtic'], triskele: ['celtic'],
  'tribal pattern': ['tribal'], 'tribal band': ['tribal'], 'geometric pattern': ['geometric'],
  'geometric shape': ['geometric'], 'sacred geometry': ['geometric'],
};
export const MOTIF_MOODS: Readonly<Record<string, string>> = { 'om symbol': 'spiritual' };
/** Motifs that are small by nature when nobody gives a size. */
export const MOTIF_SIZES: Readonly<Record<string, Size>> = { semicolon: 'tiny', initial: 'tiny' };

/** Generic nouns that a more specific motif of the same kind replaces ("a bird, a swallow"). */
export const GENERIC_MOTIFS: ReadonlySet<string> = new Set(['animal', 'bird', 'fish', 'insect', 'flower', 'plant',
  'tree', 'mask']);

// ---------------------------------------------------------------------------------------------------------------
// Index

export type Tag =
  | { kind: 'motif'; value: string }
  | { kind: 'style'; value: Style }
  | { kind: 'color'; value: Color; weak?: boolean }
  | { kind: 'placement'; value: Placement; ambiguous?: boolean; size?: Size }
  | { kind: 'size'; value: Size }
  | { kind: 'mood'; value: string }
  /** Starts a negated stretch ("no", "skip", "don't"). */
  | { kind: 'negation' }
  /** Matches and swallows a phrase that would otherwise mislead ("little bit", "don't mind"). */
  | { kind: 'noop' };

/** Lower-case, straight quotes, "&" -> "and", hyphens and underscores to spaces, other punctuation dropped. */
export function phraseKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/&/g, ' and ')
    .replace(/[-_/]+/g, ' ')
    .replace(/'s\b/g, '')
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const IE_WORDS = new Set(['zombie', 'cookie', 'pie', 'tie', 'movie', 'genie', 'pixie', 'brownie', 'collie', 'selfie',
  'beanie', 'magpie', 'hippie', 'rookie', 'smoothie', 'goalie', 'lassie', 'budgie', 'yorkie', 'aussie']);

/** "wolves" -> "wolf", "butterflies" -> "butterfly", "roses" -> "rose"; words it does not know stay as they are. */
export function singularise(word: string): string {
  const w = word.toLowerCase();
  const irregular = IRREGULAR_PLURALS[w];
  if (irregular) return irregular;
  if (UNCHANGING_PLURALS.has(w) || PLURAL_ONLY.has(w) || SINGULAR_S.has(w) || w.length < 4) return w;
  if (/(?:ss|us|is|ous)$/.test(w)) return w;
  if (/[^aeiou]ies$/.test(w)) return IE_WORDS.has(w.slice(0, -1)) ? w.slice(0, -1) : `${w.slice(0, -3)}y`;
  if (/(?:ches|shes|xes|zzes|sses)$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

const IRREGULAR_SINGULARS = new Map(Object.entries(IRREGULAR_PLURALS).map(([plural, singular]) => [singular, plural]));

export function pluralise(word: string): string {
  const irregular = IRREGULAR_SINGULARS.get(word);
  if (irregular) return irregular;
  if (UNCHANGING_PLURALS.has(word) || PLURAL_ONLY.has(word)) return word;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(?:s|ch|sh|x|z)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** The plural of a phrase: last word, or the head before "of" ("trees of life"). */
function pluralPhrase(phrase: string): string {
  const words = phrase.split(' ');
  const of = words.indexOf('of');
  const at = of > 0 ? of - 1 : words.length - 1;
  words[at] = pluralise(words[at] ?? '');
  return words.join(' ');
}

/**
 * Words the tokeniser drops before phrase lookup ("on the back of my hand" -> "back of hand"); lexicon keys are
 * stored without them too.
 */
export const DROP_WORDS: ReadonlySet<string> = new Set(['a', 'an', 'the', 'my', 'our', 'your', 'his', 'her', 'their',
  'its', 'some', 'left', 'right', 'inner', 'outer', 'both']);

/** `phraseKey` without the dropped words: the form every lexicon key takes. */
export function lookupKey(text: string): string {
  return phraseKey(text).split(' ').filter((w) => !DROP_WORDS.has(w)).join(' ');
}

const lexicon = new Map<string, Tag[]>();
const motifKinds = new Map<string, MotifKind>();
let maxPhraseWords = 1;

const DROP_PATTERN = new RegExp(`(?:^| )(?:${[...DROP_WORDS].join('|')})(?: |$)`);

/** `lookupKey` for the tables above, which are lower-case already: skips the regexes when it can (load time). */
function dataKey(phrase: string): string {
  const plain = /[-'&A-Z]/.test(phrase) ? phraseKey(phrase) : phrase;
  return DROP_PATTERN.test(plain) ? plain.split(' ').filter((w) => !DROP_WORDS.has(w)).join(' ') : plain;
}

function add(phrase: string, tag: Tag): void {
  const key = dataKey(phrase);
  if (!key) return;
  const tags = lexicon.get(key) ?? [];
  if (!tags.some((t) => t.kind === tag.kind && 'value' in t && 'value' in tag && t.value === tag.value)) tags.push(tag);
  lexicon.set(key, tags);
}

// Generated plurals that are everyday words ("how does it work").
const NOT_PLURALS = new Set(['does', 'goes', 'uses', 'lies', 'dies', 'ties', 'bases', 'kisses', 'means', 'rams']);

function addMotif(form: string, canonical: string): void {
  add(form, { kind: 'motif', value: canonical });
  const plural = pluralPhrase(dataKey(form));
  if (!NOT_PLURALS.has(plural)) add(plural, { kind: 'motif', value: canonical });
}

const CREATURES: ReadonlySet<MotifKind> = new Set(['animal', 'bird', 'sea', 'reptile', 'insect', 'myth', 'person']);

/** Fills the phrase index on first use, so importing this module costs nothing. */
function buildIndex(): void {
  for (const [kind, entries] of Object.entries(MOTIF_GROUPS) as [MotifKind, readonly string[]][]) {
    for (const entry of entries) {
      const forms = entry.split('|');
      const canonical = forms[0] ?? '';
      if (!motifKinds.has(canonical)) motifKinds.set(canonical, kind);
      for (const form of forms) {
        addMotif(form, canonical);
        // A careful artist writes "lion" for "lion head" and "koi" for "koi fish", but keeps "deer skull".
        if (CREATURES.has(kind)) {
          for (const part of ['head', 'face', 'portrait', 'silhouette', 'outline']) addMotif(`${form} ${part}`, canonical);
          if (kind !== 'person' && kind !== 'myth') addMotif(`${form} skull`, `${canonical} skull`);
        }
        if (kind === 'sea') addMotif(`${form} fish`, canonical);
        if (kind === 'flower') addMotif(`${form} flower`, canonical);
        if (kind === 'tree' && !form.endsWith('tree') && form.includes(' ') === false) addMotif(`${form} tree`, canonical);
      }
    }
  }
  for (const [canonical, styles] of Object.entries(MOTIF_STYLES)) {
    for (const style of styles) add(canonical, { kind: 'style', value: style });
  }
  for (const [style, words] of Object.entries(STYLE_WORDS) as [Style, readonly string[]][]) {
    for (const word of [style, ...words]) add(word, { kind: 'style', value: style });
  }
  for (const [color, words] of Object.entries(COLOR_WORDS) as [Color, readonly string[]][]) {
    for (const word of [color, ...words]) add(word, { kind: 'color', value: color });
  }
  for (const word of WEAK_COLOR_WORDS) add(word, { kind: 'color', value: 'full-color', weak: true });
  for (const [placement, words] of Object.entries(PLACEMENT_WORDS) as [Placement, readonly string[]][]) {
    // The id itself is one of the forms; when it is listed as ambiguous ("?back") that flag must stick.
    const forms = words.includes(`?${placement}`) ? words : [placement, ...words];
    for (const raw of forms) {
      const word = raw.replace(/^\?/, '');
      const size = PLACEMENT_SIZE_WORDS[lookupKey(word)];
      add(word, {
        kind: 'placement', value: placement,
        ...(raw.startsWith('?') ? { ambiguous: true } : {}),
        ...(size ? { size } : {}),
      });
    }
  }
  for (const [size, words] of Object.entries(SIZE_WORDS) as [Size, readonly string[]][]) {
    for (const word of [size, ...words]) add(word, { kind: 'size', value: size });
  }
  for (const mood of MOODS) add(mood, { kind: 'mood', value: mood });
  for (const [alias, mood] of Object.entries(MOOD_ALIASES)) add(alias, { kind: 'mood', value: mood });
  for (const word of ['no', 'not', 'without', 'skip', 'avoid', 'never', 'nothing', 'none', 'minus', 'except', 'hate',
    'dislike', 'lose', 'ditch', 'drop', 'remove', 'dont', 'do not', 'didnt', 'doesnt', 'wont', 'wouldnt', 'shouldnt',
    'isnt', 'arent', 'rather than', 'instead of', 'not fan of', 'no more', 'get rid of', 'leave out', 'take out',
    'forget', 'not into', 'rather not', 'nix', 'no need for', 'swap', 'swap out', 'replace', 'switch out', 'less',
    'not as', 'not so', 'tone down']) {
    add(word, { kind: 'negation' });
  }
  for (const phrase of ['little bit', 'bit', 'dont mind', 'wouldnt mind', 'no matter', 'not sure', 'no idea',
    'not only', 'not just', 'of course', 'low key', 'kind of', 'sort of', 'at least', 'more or less', 'no problem',
    'dont know', 'not certain', 'never mind', 'nevermind', 'space for', 'negative space', 'come back',
    'go back', 'get back', 'back then', 'looking back', 'heart set on', 'at heart', 'by heart', 'side note',
    'side by side', 'other side', 'both sides', 'each side', 'either side', 'one side',
    'hand poked', 'stick and poke', 'cover up', 'coverup', 'touch up', 'no rush', 'not yet', 'splash of', 'pop of',
    'pops of', 'hint of', 'touch of', 'dash of', 'accents of', 'bit of']) {
    add(phrase, { kind: 'noop' });
  }

  // "micro realism" is both a style and a size.
  add('micro realism', { kind: 'style', value: 'realism' });
  add('micro realism', { kind: 'size', value: 'tiny' });
  add('microrealism', { kind: 'style', value: 'realism' });
  add('microrealism', { kind: 'size', value: 'tiny' });
  maxPhraseWords = Math.max(...[...lexicon.keys()].map((k) => k.split(' ').length));
}

/** The tags of one phrase in `lookupKey` form. */
export function lookupPhrase(key: string): readonly Tag[] | undefined {
  if (lexicon.size === 0) buildIndex();
  return lexicon.get(key);
}

/** The group a canonical motif belongs to ("wolf" -> animal), or undefined for motifs the lexicon lacks. */
export function motifKind(motif: string): MotifKind | undefined {
  if (lexicon.size === 0) buildIndex();
  return motifKinds.get(motif);
}

export interface PhraseMatch {
  /** Index of the first word matched. */
  start: number;
  /** Index after the last word matched. */
  end: number;
  tags: readonly Tag[];
}

/** Greedy longest-match of lexicon phrases over words already in `lookupKey` form; unknown words are skipped. */
export function matchPhrases(words: readonly string[]): PhraseMatch[] {
  if (lexicon.size === 0) buildIndex();
  const matches: PhraseMatch[] = [];
  let i = 0;
  while (i < words.length) {
    let found: PhraseMatch | null = null;
    for (let n = Math.min(maxPhraseWords, words.length - i); n > 0 && !found; n--) {
      const tags = lexicon.get(words.slice(i, i + n).join(' '));
      if (tags) found = { start: i, end: i + n, tags };
    }
    if (found) {
      matches.push(found);
      i = found.end;
    } else {
      i++;
    }
  }
  return matches;
}
