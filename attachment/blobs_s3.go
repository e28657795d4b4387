package attachment

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/sportello/sportello/errs"
)

// S3Blobs keeps content as objects of a bucket of an S3-compatible object
// storage (AWS S3, MinIO, Ceph, the cloud providers' own), one object a key
// under Prefix, the content's sha256 in the object's metadata, checked on Get.
type S3Blobs struct {
	Client *minio.Client
	Bucket string
	Prefix string // e.g. "sportello/attachments/", may be empty
}

// S3Config is where the bucket is: parsed from "s3://bucket/prefix?endpoint=
// host:port&region=...&tls=false". Credentials never travel in it: they come
// from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, as every S3
// tool reads them).
type S3Config struct {
	Endpoint string
	Bucket   string
	Prefix   string
	Region   string
	TLS      bool
}

// ParseS3 reads an s3:// storage address.
func ParseS3(s string) (S3Config, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Config{}, fmt.Errorf("%q is not s3://bucket[/prefix]?endpoint=host:port", s)
	}
	if u.User != nil {
		return S3Config{}, fmt.Errorf("s3 address: credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not in the address")
	}
	q := u.Query()
	c := S3Config{Bucket: u.Host, Prefix: strings.TrimPrefix(u.Path, "/"), Endpoint: q.Get("endpoint"), Region: q.Get("region"), TLS: q.Get("tls") != "false"}
	if c.Endpoint == "" {
		c.Endpoint = "s3.amazonaws.com"
	}
	if c.Prefix != "" && !strings.HasSuffix(c.Prefix, "/") {
		c.Prefix += "/"
	}
	for k := range q {
		if k != "endpoint" && k != "region" && k != "tls" {
			return S3Config{}, fmt.Errorf("s3 address: unknown parameter %q (endpoint, region, tls)", k)
		}
	}
	return c, nil
}

// NewS3Blobs connects to the bucket of c with the credentials of the
// environment and checks that the bucket exists.
func NewS3Blobs(ctx context.Context, c S3Config) (*S3Blobs, error) {
	cl, err := minio.New(c.Endpoint, &minio.Options{Creds: credentials.NewEnvAWS(), Secure: c.TLS, Region: c.Region})
	if err != nil {
		return nil, fmt.Errorf("s3 client for %s: %w", c.Endpoint, err)
	}
	ok, err := cl.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3 bucket %s at %s: %w", c.Bucket, c.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("s3 bucket %s does not exist at %s", c.Bucket, c.Endpoint)
	}
	return &S3Blobs{Client: cl, Bucket: c.Bucket, Prefix: c.Prefix}, nil
}

const shaMeta = "Sha256"

// Put stores content under key, with its sha256 as metadata.
func (b *S3Blobs) Put(ctx context.Context, key string, content []byte) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	sum := Sum(content)
	_, err := b.Client.PutObject(ctx, b.Bucket, b.Prefix+key, bytes.NewReader(content), int64(len(content)), minio.PutObjectOptions{
		ContentType: "application/octet-stream", UserMetadata: map[string]string{shaMeta: sum}, SendContentMd5: true,
	})
	if err != nil {
		return "", fmt.Errorf("put blob %s: %w", key, err)
	}
	return sum, nil
}

// Get reads the content under key and checks it against its sha256.
func (b *S3Blobs) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	obj, err := b.Client.GetObject(ctx, b.Bucket, b.Prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", key, err)
	}
	defer obj.Close()
	content, err := io.ReadAll(obj)
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return nil, errs.E(errs.NotFound, "attachment content %s not found", key)
	}
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", key, err)
	}
	info, err := obj.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat blob %s: %w", key, err)
	}
	if want := info.UserMetadata[shaMeta]; want != "" && want != Sum(content) {
		return nil, errs.E(errs.Internal, "attachment content %s does not match its sha256", key)
	}
	return content, nil
}

// Delete removes the object under key; a missing one is not an error.
func (b *S3Blobs) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := b.Client.RemoveObject(ctx, b.Bucket, b.Prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return nil
}
