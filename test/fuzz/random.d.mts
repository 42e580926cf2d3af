export declare function randomSeed(): number;
